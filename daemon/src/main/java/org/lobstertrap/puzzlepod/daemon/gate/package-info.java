/**
 * The governance gate: quiesce the container, diff the branch, evaluate the commit policy within a
 * deadline and step budget, check for conflicts with other branches of the same base, then commit,
 * hold for review or roll back. Every failure to decide fails closed (or as the profile's fail mode says).
 */
package org.lobstertrap.puzzlepod.daemon.gate;
