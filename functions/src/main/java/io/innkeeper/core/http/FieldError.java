package io.innkeeper.core.http;

/** One failing field of a request, as listed in a problem's {@code errors}. */
public record FieldError(String field, String message) {}
