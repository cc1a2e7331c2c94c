using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DefenderMcp.Emulator.Api;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Emulator.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Emulator;

/// <summary>
/// A local Defender: the Entra token endpoint, Graph security and the Defender for Endpoint API on one loopback
/// HTTPS port, from deterministic sample data, with fault injection. One base URL serves as authority host, Graph
/// root and MDE root.
/// </summary>
public sealed class DefenderEmulator : IAsyncDisposable
{
    // Kestrel's own default backlog.
    private const int ListenBacklog = 512;
    private readonly WebApplication _app;
    private readonly EmulatorState _state;

    private DefenderEmulator(WebApplication app, EmulatorState state, Uri baseUri, X509Certificate2 tls, string pemPath)
    {
        _app = app;
        _state = state;
        BaseUri = baseUri;
        TlsCertificate = tls;
        CertificatePemPath = pemPath;
    }

    /// <summary>https://127.0.0.1:{port}/</summary>
    public Uri BaseUri { get; }

    /// <summary>The TLS certificate's PEM (public part), to pin in clients.</summary>
    public string CertificatePemPath { get; }

    /// <summary>The TLS certificate (public).</summary>
    public X509Certificate2 TlsCertificate { get; }

    /// <summary>The emulated tenants.</summary>
    public IReadOnlyList<EmulatedTenant> Tenants => _state.Tenants;

    /// <summary>A tenant by key.</summary>
    public EmulatedTenant GetTenant(string key) =>
        _state.Tenants.FirstOrDefault(t => t.Key == key) ?? throw new KeyNotFoundException($"No emulated tenant with key '{key}'.");

    /// <summary>Starts the emulator and waits until it serves.</summary>
    public static async Task<DefenderEmulator> StartAsync(EmulatorOptions options, CancellationToken cancellationToken)
    {
        var start = Launch(options);
        try
        {
            return await start.Running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await start.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the emulator without waiting for it: what a server needs to reach it (address, certificate paths,
    /// tenants) is ready when this returns, and the host starts on its own thread (<see cref="EmulatorStart.Running"/>).
    /// Bad options and a port that cannot be bound fail here, at once.
    /// </summary>
    public static EmulatorStart Launch(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateTenantKeys(options.TenantKeys);
        DemoKeyCache? appCache = null;
        if (options.KeyCacheDirectory is { } keyCache)
        {
            DemoKeys.UseCache(keyCache);
            // App certificates go with the keys, unless the caller chose the folder they are written to.
            appCache = options.DataDirectory is null ? DemoKeys.Cache : null;
        }

        var ownedDirectory = options.DataDirectory is null ? Directory.CreateTempSubdirectory("defender-mcp-emulator-").FullName : null;
        var dataDir = options.DataDirectory ?? ownedDirectory!;
        Socket? listener = null;
        try
        {
            Directory.CreateDirectory(dataDir);
            // Bound and listening before the host exists: the address is known now, and a connection made before the
            // host accepts waits in the backlog instead of being refused. Kestrel takes this socket when it starts.
            listener = SocketTransportOptions.CreateDefaultBoundListenSocket(new IPEndPoint(IPAddress.Loopback, options.Port));
            listener.Listen(ListenBacklog);
            var baseUri = new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/");
            var pemPath = options.CertificatePemPath ?? Path.Combine(dataDir, "emulator-tls.pem");
            var (tenants, certificates) = DemoTenants.Create(options.TenantKeys, dataDir, appCache);
            var bound = listener;
            listener = null;
            return new EmulatorStart(baseUri, pemPath, tenants, abort => Serve(options, bound, baseUri, pemPath, tenants, certificates, ownedDirectory, abort));
        }
        catch
        {
            listener?.Dispose();
            DeleteOwned(ownedDirectory);
            throw;
        }
    }

    // The rest of the start, on the start's own thread: the TLS certificate and its PEM, the token and caller keys,
    // the state and the host on the bound socket. On any failure the socket is closed (a client waiting in the backlog
    // is refused rather than left hanging) and a folder made for this emulator is removed.
    private static DefenderEmulator Serve(EmulatorOptions options, Socket listener, Uri baseUri, string pemPath, IReadOnlyList<EmulatedTenant> tenants, IReadOnlyDictionary<string, X509Certificate2> certificates, string? ownedDirectory, CancellationToken abort)
    {
        WebApplication? app = null;
        try
        {
            var tls = CertificateFactory.CreateTls();
            File.WriteAllText(pemPath, tls.ExportCertificatePem() + "\n");
            DemoKeys.Prepare([DemoKeys.TokenSigning, .. CallerIdentityProvider.StartKeyNames]);
            var state = new EmulatorState(options, tenants, certificates, DateTime.UtcNow);

            // The empty builder: no configuration files (and their watchers), environment variables or default logging
            // to set up, which the emulator never reads; only Kestrel and routing (with the one regex constraint it uses).
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "DefenderMcp.Emulator", ContentRootPath = AppContext.BaseDirectory });
            builder.WebHost.UseKestrelCore();
            var handOver = listener;
            builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = _ =>
                Interlocked.Exchange(ref handOver, null) ?? throw new InvalidOperationException("The emulator's listening socket was already taken."));
            builder.Services.AddRoutingCore();
            builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<RegexInlineRouteConstraint>("regex"));
            if (options.LoggerFactory is not null)
            {
                builder.Services.AddSingleton(options.LoggerFactory);
            }

            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
                k.Listen(IPAddress.Loopback, baseUri.Port, l => l.UseHttps(tls));
            });
            app = builder.Build();
            var logger = (options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("DefenderMcp.Emulator");
            app.Use((context, next) => Pipeline(context, next, state, logger));
            app.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext c, string tenant) => TokenEndpoint.HandleAsync(c, state, tenant));
            GraphEndpoints.Map(app, state);
            IdentityEndpoints.Map(app, state);
            MdeEndpoints.Map(app, state);
            EntityEndpoints.Map(app, state);
            VulnerabilityEndpoints.Map(app, state);
            ActionEndpoints.Map(app, state);
            LiveResponseEndpoints.Map(app, state);
            DetectionRuleEndpoints.Map(app, state);
            ControlEndpoints.Map(app, state);
            ManagedIdentityEndpoints.Map(app, state);
            KeyVaultEndpoints.Map(app, state);
            CallerIdentityEndpoints.Map(app, state);
            // Unknown routes answer in the API's error shape (Kestrel's default 404 has no body).
            app.MapFallback((HttpContext c) => ApiErrors.WriteAsync(c, 404, ApiErrors.IsGraph(c) ? "NotFound" : "ResourceNotFound", "The requested resource does not exist."));
            app.StartAsync(abort).GetAwaiter().GetResult();
            var publicCert = X509CertificateLoader.LoadCertificate(tls.RawData);
            return new DefenderEmulator(app, state, baseUri, publicCert, pemPath) { _ownedDirectory = ownedDirectory };
        }
        catch
        {
            listener.Dispose();
            if (app is not null)
            {
                app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            DeleteOwned(ownedDirectory);
            throw;
        }
    }

    private string? _ownedDirectory;

    // The temp folder made for an emulator holds demo keys: removed with it (best effort).
    private static void DeleteOwned(string? directory)
    {
        if (directory is null)
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    // Keys name files and appear in logs: a short, plain pattern, no duplicates.
    private static void ValidateTenantKeys(IReadOnlyList<string> keys)
    {
        if (keys is null || keys.Count == 0)
        {
            throw new ArgumentException("At least one tenant key is required.", nameof(keys));
        }

        foreach (var key in keys)
        {
            if (key is null || key.Length is 0 or > 40 || !key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || key[0] == '-')
            {
                throw new ArgumentException($"Tenant keys are 1-40 characters of a-z, 0-9 and '-': '{key}'.", nameof(keys));
            }
        }

        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            throw new ArgumentException("Tenant keys must be distinct.", nameof(keys));
        }
    }

    /// <summary>A control-plane client that trusts exactly this emulator's certificate.</summary>
    public EmulatorControlClient CreateControlClient()
    {
        var pinned = TlsCertificate.RawData;
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetRawCertData().AsSpan().SequenceEqual(pinned) },
        };
        return new EmulatorControlClient(new HttpClient(handler) { BaseAddress = BaseUri });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _state.Tokens.Dispose();
        _state.Callers.Dispose();
        DeleteOwned(_ownedDirectory);
    }

    private static async Task Pipeline(HttpContext context, RequestDelegate next, EmulatorState state, ILogger logger)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.StartsWith("/_emulator/", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var tenant = ResolveTenant(context, state, path);
        var pathAndQuery = path + context.Request.QueryString;
        try
        {
            var fault = state.Faults.Match(context.Request.Method, pathAndQuery, tenant);
            if (fault?.DelayMs is > 0)
            {
                await Task.Delay(fault.DelayMs.Value, context.RequestAborted).ConfigureAwait(false);
            }

            if (fault is { Status: > 0, AfterEffect: true })
            {
                // The write happens, then the caller sees a failure: the "may have acted" case clients must handle.
                var original = context.Response.Body;
                context.Response.Body = new MemoryStream();
                await next(context).ConfigureAwait(false);
                context.Response.Body = original;
                context.Response.Headers.Clear();
                await ApiErrors.WriteAsync(context, fault.Status, fault.Status == 503 ? "ServiceUnavailable" : "InternalServerError", "Injected fault after the request took effect.", fault.RetryAfterSeconds).ConfigureAwait(false);
                return;
            }

            if (fault is { Status: > 0 } && fault.Body is null)
            {
                var code = fault.Code ?? fault.Status switch { 429 => "TooManyRequests", 401 => ApiErrors.IsGraph(context) ? "InvalidAuthenticationToken" : "Unauthorized", 403 => "Forbidden", 404 => "NotFound", 400 => "BadRequest", 503 => "ServiceUnavailable", _ => ApiErrors.IsGraph(context) ? "UnknownError" : "InternalServerError" };
                await ApiErrors.WriteAsync(context, fault.Status, code, fault.Message ?? "Injected fault.", fault.RetryAfterSeconds).ConfigureAwait(false);
                return;
            }

            if (fault?.Body is "malformed" or "truncated")
            {
                context.Response.StatusCode = fault.Status > 0 ? fault.Status : 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(fault.Body == "malformed" ? "{\"value\": [ {\"id\": oops" : "{\"schema\":[{\"name\":\"A\",\"type\":\"String\"}],\"results\":[{\"A\":\"x\"},{\"A\":", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (fault?.Body is "oversized")
            {
                context.Response.StatusCode = fault.Status > 0 ? fault.Status : 200;
                await OversizedBody.WriteAsync(context.Response, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (fault?.Body is { } mode && ShapeRewriter.Modes.Contains(mode, StringComparer.Ordinal))
            {
                await RewrittenAsync(context, next, mode).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A bug or an input we did not foresee: answer in the API's shape, log the type only (never a body).
            logger.LogError("Unhandled {ExceptionType} on {Method} {Path}", ex.GetType().Name, context.Request.Method, path);
            context.Response.Clear();
            await ApiErrors.WriteAsync(context, 500, "InternalServerError", "The emulator could not handle the request.").ConfigureAwait(false);
        }
        finally
        {
            state.Requests.Add(new RecordedRequest(DateTimeOffset.UtcNow, context.Request.Method, path, context.Request.QueryString.Value ?? string.Empty, tenant?.Key, context.Response.StatusCode, context.Items["appId"] as string ?? AppId(context), context.Connection.Id));
        }
    }

    // The route answers as usual into a buffer; a body that is a JSON document is then rewritten into the hostile shape
    // (status and headers kept, Content-Length set anew), any other body is sent as it was.
    private static async Task RewrittenAsync(HttpContext context, RequestDelegate next, string mode)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        // Whatever the content type: a live response transcript is JSON served as a blob (application/octet-stream).
        var body = buffer.ToArray();
        var self = new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}");
        var sent = body.Length > 0 ? ShapeRewriter.Rewrite(mode, body, self) ?? body : body;
        context.Response.ContentLength = sent.Length;
        await context.Response.Body.WriteAsync(sent, context.RequestAborted).ConfigureAwait(false);
    }

    private static EmulatedTenant? ResolveTenant(HttpContext context, EmulatorState state, string path)
    {
        if (path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            return state.FindTenant(path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0]);
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || JwtCodec.Decode(header[7..]) is not { } jwt)
        {
            return null;
        }

        return jwt.Claims.TryGetProperty("tid", out var tid) ? state.FindTenant(tid.GetString() ?? string.Empty) : null;
    }

    private static string? AppId(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && JwtCodec.Decode(header[7..]) is { } jwt && jwt.Claims.TryGetProperty("appid", out var a) ? a.GetString() : null;
    }
}
