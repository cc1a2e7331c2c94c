using System.Globalization;
using System.Text.RegularExpressions;
using DefenderMcp.E2E.Packaging;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.E2E.Container;

/// <summary>
/// `docker stop` waits 10 s before SIGKILL unless the container was given more, while the server drains calls in flight
/// for up to DEFENDER_MCP_HTTP_SHUTDOWN_SECONDS (30 by default): a documented serve command without a longer stop grace
/// killed a 15 s call and exited 137 in a real container run. Every documented long-running container gets one.
/// </summary>
public sealed partial class ContainerStopGraceTests
{
    private static readonly int DrainSeconds = (int)new HttpServerOptions().ShutdownDeadline.TotalSeconds;

    [Theory]
    [InlineData("Dockerfile")]
    [InlineData("docs/deployment.md")]
    public void Every_documented_docker_run_of_the_server_gives_docker_stop_more_time_than_the_drain(string file)
    {
        var commands = ServerRunCommands(File.ReadAllText(Path.Combine(RepositoryFiles.Root, file)));

        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var timeout = StopTimeout().Match(command);
            Assert.True(timeout.Success, $"{file}: no --stop-timeout in: {command}");
            Assert.True(int.Parse(timeout.Groups[1].Value, CultureInfo.InvariantCulture) > DrainSeconds, $"{file}: --stop-timeout not above the {DrainSeconds} s drain in: {command}");
        }
    }

    [Fact]
    public void The_compose_server_has_a_stop_grace_period_longer_than_the_drain()
    {
        var grace = GracePeriod().Match(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "compose.yaml")));

        Assert.True(grace.Success, "compose.yaml: no stop_grace_period");
        Assert.True(int.Parse(grace.Groups[1].Value, CultureInfo.InvariantCulture) > DrainSeconds);
    }

    // `docker run` commands without --rm (one-shot commands such as keys add or doctor end by themselves), with
    // continuation lines joined and Dockerfile comment markers removed.
    private static List<string> ServerRunCommands(string text)
    {
        var joined = ContinuationLine().Replace(CommentMarker().Replace(text, string.Empty), " ");
        return [.. joined.Split('\n')
            .Select(line => line.Trim().Trim('`'))
            .Where(line => line.StartsWith("docker run ", StringComparison.Ordinal) && !line.Contains("--rm", StringComparison.Ordinal))];
    }

    [GeneratedRegex(@"--stop-timeout[ =](\d+)")]
    private static partial Regex StopTimeout();

    [GeneratedRegex(@"stop_grace_period:\s*(\d+)s")]
    private static partial Regex GracePeriod();

    [GeneratedRegex(@"\\\r?\n\s*")]
    private static partial Regex ContinuationLine();

    [GeneratedRegex(@"^#[ \t]*", RegexOptions.Multiline)]
    private static partial Regex CommentMarker();
}
