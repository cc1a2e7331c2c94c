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
    [InlineData("DomainName", "not a domain")]
    [InlineData("DomainName", "-bad-.com")]
    [InlineData("DomainName", "localhost")]
    [InlineData("Url", "javascript:alert(1)")]
    [InlineData("Url", "ftp://files.example.com/x")]
    public void Refuses_invalid_values(string type, string value) => Assert.NotNull(IndicatorRules.Problem(type, value));
}
