package io.innkeeper.events.published;

/**
 * The data of an integration event: a fact published on the event bus for any other service. It is
 * its own contract, separate from the internal events: a domain maps each internal event to one of
 * these (or, explicitly, to nothing), and subscribers depend on these alone. Each domain gathers
 * its published types under one sealed root and registers them in a {@link PublishedLanguage}.
 */
public interface PublishedEvent {}
