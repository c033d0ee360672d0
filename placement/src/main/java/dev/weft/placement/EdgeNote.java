package dev.weft.placement;

/**
 * One call edge in an explanation.
 *
 * @param caller        one end (the caller of the heavier direction)
 * @param callee        the other end
 * @param cores         cores of remote-call overhead the edge costs when cut
 * @param dollarsPerHour what those cores cost at target utilisation
 * @param why           why it is inside a process, or what kept it cut
 */
public record EdgeNote(String caller, String callee, double cores, double dollarsPerHour, String why) {}
