package io.innkeeper.events;

/**
 * Something that happened, in the past tense. Each aggregate has one sealed sub-interface whose
 * nested records are its events, and a domain gathers its aggregates' interfaces under one sealed
 * root whose every type is registered under a stable name in the domain's {@link TypeRegistry}.
 */
public interface DomainEvent {}
