namespace DefenderMcp.Configuration;

/// <summary>Names of the environment variables the server reads (kept compatible with mcp-defender-xdr).</summary>
public static class EnvironmentVariables
{
#pragma warning disable CS1591 // The names document themselves; docs/configuration.md describes each.
    public const string TenantsFile = "MCP_DEFENDER_XDR_TENANTS_FILE";
    public const string LogLevel = "MCP_DEFENDER_XDR_LOG_LEVEL";
    public const string TenantId = "AZURE_TENANT_ID";
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpHeaders = "OTEL_EXPORTER_OTLP_HEADERS"; // read by the OpenTelemetry exporter, like every OTEL_* variable
    public const string ClientId = "AZURE_CLIENT_ID";
    public const string CertPath = "AZURE_CERT_PATH";
    public const string CertPassphrase = "AZURE_CERT_PASSPHRASE";
    public const string ClientSecret = "AZURE_CLIENT_SECRET";
    public const string FederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE";
    public const string CertKeyVaultSecret = "AZURE_CERT_KEY_VAULT_SECRET";
    public const string Auth = "DEFENDER_AUTH";
    public const string Cloud = "DEFENDER_CLOUD";
    public const string Region = "DEFENDER_REGION";
    public const string DefenderApiBase = "DEFENDER_API_BASE";
    public const string GraphApiBase = "GRAPH_API_BASE";
    public const string AuthorityHost = "AZURE_AUTHORITY_HOST";
    public const string TlsTrustCert = "DEFENDER_TLS_TRUST_CERT";
    public const string Actions = "DEFENDER_ACTIONS";
    public const string Confirmation = "DEFENDER_CONFIRMATION";
    public const string ProtectedDevices = "DEFENDER_PROTECTED_DEVICES";
    public const string ProtectedUsers = "DEFENDER_PROTECTED_USERS";
    public const string MaxActionsPerHour = "DEFENDER_MAX_ACTIONS_PER_HOUR";
    public const string AllowOffboard = "DEFENDER_ALLOW_OFFBOARD";
    public const string FanOutConcurrency = "DEFENDER_MCP_FANOUT_CONCURRENCY";
    public const string HuntingByteBudget = "DEFENDER_MCP_HUNTING_BYTE_BUDGET";
    public const string FanOutByteBudget = "DEFENDER_MCP_FANOUT_BYTE_BUDGET";
    public const string ResultCacheMegabytes = "DEFENDER_MCP_RESULT_CACHE_MB";
    public const string HuntsFolder = "DEFENDER_MCP_HUNTS_DIR";
    public const string HuntResultsFolder = "DEFENDER_MCP_HUNT_RESULTS_DIR";
    public const string AuditFile = "DEFENDER_MCP_AUDIT_FILE";
    public const string AuditMaxMegabytes = "DEFENDER_MCP_AUDIT_MAX_MB";
    public const string StateFolder = "DEFENDER_MCP_STATE_DIR";
    public const string HuntMinimumIntervalSeconds = "DEFENDER_MCP_HUNT_MIN_INTERVAL_SECONDS";
    public const string HuntRunsKept = "DEFENDER_MCP_HUNT_RUNS_KEPT";
    public const string HuntBytesKept = "DEFENDER_MCP_HUNT_BYTES_KEPT";
    public const string AttemptTimeout = "DEFENDER_MCP_ATTEMPT_TIMEOUT_SECONDS";
    public const string CallTimeout = "DEFENDER_MCP_CALL_TIMEOUT_SECONDS";
    public const string Warmup = "DEFENDER_MCP_WARMUP";
    public const string CommentCaller = "DEFENDER_MCP_COMMENT_CALLER";
#pragma warning restore CS1591
}
