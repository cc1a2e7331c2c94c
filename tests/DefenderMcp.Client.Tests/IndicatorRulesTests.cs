namespace DefenderMcp.Client.Tests;

public sealed class IndicatorRulesTests
{
    [Theory]
    [InlineData("FileSha1", "3395856ce81f2b7382dee72602f798b642f14140")]
    [InlineData("FileSha256", "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f")]
    [InlineData("FileMd5", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("CertificateThumbprint", "84E05C1D98BCE3A5421D225B140B36E86A3D5534")]
    [InlineData("IpAddress", "185.220.101.47")]
    [InlineData("IpAddress", "2001:db8::1")]
    [InlineData("IpAddress", "10.0.0.100")]
    [InlineData("IpAddress", "0.0.0.0")]
    [InlineData("DomainName", "contoso-payroll-update.com")]
    [InlineData("Url", "https://contoso-payroll-update.com/payroll/verify?u=x")]
    [InlineData("Url", "evil.example.com/path")]
    public void Accepts_valid_values(string type, string value) => Assert.Null(IndicatorRules.Problem(type, value));

    [Theory]
    [InlineData("FileSha1", "3395856ce81f2b7382dee72602f798b642f1414")]
    [InlineData("FileSha1", "zz95856ce81f2b7382dee72602f798b642f14140")]
    [InlineData("FileSha256", "3395856ce81f2b7382dee72602f798b642f14140")]
    [InlineData("FileMd5", "d41d8cd98f00b204e9800998ecf8427")]
    [InlineData("CertificateThumbprint", "not-a-thumbprint")]
    [InlineData("IpAddress", "10.0.0.0/8")]
    [InlineData("IpAddress", "999.1.1.1")]
    [InlineData("IpAddress", "1.2.3")]
    [InlineData("IpAddress", "185.220.101.047")]
    [InlineData("IpAddress", "010.1.0.100")]
    [InlineData("IpAddress", "0x7f.0.0.1")]
    [InlineData("DomainName", "not a domain")]
    [InlineData("DomainName", "-bad-.com")]
    [InlineData("DomainName", "localhost")]
    [InlineData("Url", "javascript:alert(1)")]
    [InlineData("Url", "ftp://files.example.com/x")]
    public void Refuses_invalid_values(string type, string value) => Assert.NotNull(IndicatorRules.Problem(type, value));

    /// <summary>
    /// An octet with a leading zero is refused wherever an IP is taken: the system's parser reads it as octal, so
    /// 185.220.101.047 became 185.220.101.39 in get_ip_info while add_indicator sent it as written.
    /// </summary>
    [Theory]
    [InlineData("185.220.101.47", "185.220.101.47")]
    [InlineData("10.0.0.100", "10.0.0.100")]
    [InlineData("2001:DB8::1", "2001:db8::1")]
    [InlineData("185.220.101.047", null)]
    [InlineData("010.001.000.100", null)]
    [InlineData("00.1.2.3", null)]
    [InlineData("1.2.3.4.5", null)]
    public void An_ip_is_four_plain_decimals_or_ipv6_in_every_tool(string ip, string? canonical)
    {
        Assert.Equal(canonical, DefenderClient.CanonicalIp(ip));
        Assert.Equal(canonical is null, IndicatorRules.Problem("IpAddress", ip) is not null);
    }
}
