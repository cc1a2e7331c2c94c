namespace DefenderMcp.Client.Auth;

/// <summary>
/// A token request stopped by its call's cancellation while Entra ID had not answered: still a cancellation, but one the
/// call's deadline reports as Entra ID not answering, not as Defender not answering (nothing was sent to Defender).
/// </summary>
internal sealed class EntraNoAnswerException(Exception inner, CancellationToken token)
    : OperationCanceledException("Entra ID did not answer the token request before the call was stopped.", inner, token);
