/** Human review of changesets: approve (exactly what was reviewed), reject, and timeouts that survive restarts. */
package org.lobstertrap.puzzlepod.daemon.review;
