/**
 * The daemon's append-only audit log: HMAC-SHA256-chained NDJSON records ({@link
 * org.lobstertrap.puzzlepod.daemon.audit.AuditLog}), their verification ({@link
 * org.lobstertrap.puzzlepod.daemon.audit.AuditVerifier}) and filtered reading ({@link
 * org.lobstertrap.puzzlepod.daemon.audit.AuditQuery}).
 */
package org.lobstertrap.puzzlepod.daemon.audit;
