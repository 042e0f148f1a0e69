package io.innkeeper.events;

/**
 * A request to change state, in the imperative. Each aggregate has one sealed sub-interface whose
 * nested records are its commands; every command type is registered under a stable name in {@link
 * CommandTypes}. Ids of things a command creates are in the command: they are chosen at intake.
 */
public interface DomainCommand {}
