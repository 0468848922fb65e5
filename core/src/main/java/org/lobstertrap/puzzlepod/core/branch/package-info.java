/**
 * The branch model shared by the daemon and its tools: ids, the lifecycle state machine with its
 * one wire spelling per state, and the metadata record of a branch.
 */
package org.lobstertrap.puzzlepod.core.branch;
