package io.innkeeper.events;

/**
 * Something that happened, in the past tense. Each aggregate has one sealed sub-interface whose
 * nested records are its events; every event type is registered under a stable name in {@link
 * EventTypes}.
 */
public interface DomainEvent {}
