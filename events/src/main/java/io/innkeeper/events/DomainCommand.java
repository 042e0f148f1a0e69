package io.innkeeper.events;

/**
 * A request to change state, in the imperative. Each aggregate has one sealed sub-interface whose
 * nested records are its commands, and a domain gathers its aggregates' interfaces under one sealed
 * root whose every type is registered under a stable name in the domain's {@link TypeRegistry}. Ids
 * of things a command creates are in the command: they are chosen at intake.
 */
public interface DomainCommand {}
