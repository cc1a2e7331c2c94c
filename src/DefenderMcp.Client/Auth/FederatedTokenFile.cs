using Azure.Identity;

namespace DefenderMcp.Client.Auth;

/// <summary>
/// Workload identity federation from a token file, read at each token request and trimmed: Kubernetes projects the
/// token without a newline, but a file written by hand or by <c>echo</c> ends in one, and Entra ID refuses a client
/// assertion with a trailing newline as "not a well-formed JWT" (AADSTS50027).
/// </summary>
public static class FederatedTokenFile
{
    private const int MaxTokenBytes = 64 * 1024;

    /// <summary>The credential that exchanges the file's token for an access token of <paramref name="clientId"/>.</summary>
    public static ClientAssertionCredential Credential(string tenantId, string clientId, string? path, ClientAssertionCredentialOptions options)
    {
        var file = path ?? Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE")
            ?? throw new DefenderApiException(DefenderErrorCode.AuthFailure, "Workload identity needs a federated token file (AZURE_FEDERATED_TOKEN_FILE).");
        return new ClientAssertionCredential(tenantId, clientId, ct => ReadAsync(file, ct), options);
    }

    /// <summary>The token in <paramref name="path"/> without surrounding whitespace.</summary>
    public static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            if (new FileInfo(path).Length > MaxTokenBytes)
            {
                throw new CredentialUnavailableException("The federated token file is larger than a token can be.");
            }

            var token = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
            return token.Length > 0 ? token : throw new CredentialUnavailableException("The federated token file is empty.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The path is configuration, not a secret; the token never appears in the message.
            throw new CredentialUnavailableException($"The federated token file {path} could not be read.", ex);
        }
    }
}
