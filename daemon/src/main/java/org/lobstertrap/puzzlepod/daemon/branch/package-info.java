/**
 * The branch store: branches on disk under a branch root, their lifecycle, O(1) rollback, expiry and
 * start-up recovery ({@link org.lobstertrap.puzzlepod.daemon.branch.BranchStore}), and the commit flow
 * that ties a branch to the diff and the crash-safe commit
 * ({@link org.lobstertrap.puzzlepod.daemon.branch.BranchCommitFlow}).
 */
package org.lobstertrap.puzzlepod.daemon.branch;
