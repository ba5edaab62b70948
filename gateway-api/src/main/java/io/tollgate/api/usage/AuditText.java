package io.tollgate.api.usage;

/**
 * The prompt and completion text of one request, already redacted by the edge that answered it,
 * for the audit log of a tenant that opted in ({@link io.tollgate.api.keys.TenantAudit#storePrompts()}).
 * Unredacted text never leaves the edge: this record is only ever built from
 * {@link io.tollgate.api.audit.PromptRedactor#redact} output.
 *
 * @param prompt     the request's messages as {@code role: text} lines, redacted; null if none
 * @param completion the answer's text (choice 0), redacted; null if none
 */
public record AuditText(String prompt, String completion) {
}
