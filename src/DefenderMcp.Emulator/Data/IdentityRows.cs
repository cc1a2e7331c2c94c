namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Rows of the identity tables the story touches beyond IdentityInfo and IdentityLogonEvents: Entra ID sign-ins
/// (EntraIdSignInEvents and its predecessor AADSignInEventsBeta carry the same sign-ins), service principal sign-ins,
/// AD queries, linked accounts, third-party identity events, Graph API calls and OAuth apps. In the story, the phished
/// user signs in from the attacker's address a few minutes after the click, and the attacker then enumerates the
/// domain admins from the victim's laptop.
/// </summary>
public static class IdentityRows
{
    private static readonly (string Name, string Id)[] Apps =
    [
        ("Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"),
        ("Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264"),
        ("Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000"),
        ("Microsoft Azure PowerShell", "1950a258-227b-4e31-a9cf-717495945fc2"),
    ];

    /// <summary>Adds the rows of the identity tables.</summary>
    public static void Add(HuntingRowContext c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var n = c.Names;
        var s = c.Story;
        var workstations = c.Workstations.ToList();
        foreach (var (user, index) in n.Users.Select((u, i) => (u, i)))
        {
            var laptop = workstations.FirstOrDefault(d => c.OwnerOf(d) == user) ?? workstations[index % workstations.Count];
            for (var k = 0; k < 6; k++)
            {
                var app = Apps[(index + k) % 3];
                SignIn(c, c.Recent(), user, app, laptop, c.OfficeIp, "US", "Seattle", 0, 1, 0, "singleFactorAuthentication");
            }
        }

        // The story: the attacker replays the phished user's session from their own address; Entra scores it high.
        SignIn(c, s.Start.AddMinutes(12), s.User, Apps[0], null, n.AttackerIp, "NL", "Amsterdam", 0, 100, 4, "singleFactorAuthentication");
        SignIn(c, s.Start.AddMinutes(13), s.User, Apps[3], null, n.AttackerIp, "NL", "Amsterdam", 50126, 100, 4, "multiFactorAuthentication");

        foreach (var (name, k) in new[] { "svc-backup", "svc-inventory" }.Select((x, i) => (x, i)))
        {
            for (var j = 0; j < 8; j++)
            {
                var principal = DataGenerator.Guid(n.Domain + name);
                foreach (var table in new[] { "EntraIdSpnSignInEvents", "AADSpnSignInEventsBeta" })
                {
                    c.Add(table, new()
                    {
                        ["Timestamp"] = c.Now.AddHours(-(j * 11) - k), ["Application"] = name, ["ApplicationId"] = DataGenerator.Guid(n.Domain + name + "app"),
                        ["IsManagedIdentity"] = k == 1, ["ErrorCode"] = 0, ["CorrelationId"] = DataGenerator.Guid($"{name}{j}corr"), ["ServicePrincipalName"] = name,
                        ["ServicePrincipalId"] = principal, ["ResourceDisplayName"] = "Microsoft Graph", ["ResourceId"] = "00000003-0000-0000-c000-000000000000",
                        ["ResourceTenantId"] = DataGenerator.Guid(n.Domain + "tenant"), ["IPAddress"] = "20.190.128.10", ["Country"] = "US", ["State"] = "Washington",
                        ["City"] = "Quincy", ["Latitude"] = "47.23", ["Longitude"] = "-119.85", ["RequestId"] = DataGenerator.Guid($"{name}{j}req"), ["ReportId"] = DataGenerator.Guid($"{name}{j}{table}"),
                    });
                }
            }
        }

        // The story: from the victim's laptop, the attacker looks up the domain admins before moving to the file server.
        var dc = c.Devices[0];
        foreach (var (type, target, minutes) in new[] { ("QueryGroup", "Domain Admins", 33), ("EnumerateUsers", "All users", 34), ("QueryUser", "Administrator", 35) })
        {
            Query(c, s.Start.AddMinutes(minutes), s.User, s.Victim, dc, type, target);
        }

        for (var j = 0; j < 20; j++)
        {
            var user = n.Users[c.Random.Next(n.Users.Count)];
            Query(c, c.Recent(), user, workstations[c.Random.Next(workstations.Count)], dc, "QueryUser", user);
        }

        foreach (var (user, index) in n.Users.Select((u, i) => (u, i)))
        {
            var objectId = c.ObjectId(user);
            c.Add("IdentityAccountInfo", new()
            {
                ["Timestamp"] = c.Now.AddHours(-index - 1), ["ReportId"] = DataGenerator.Guid(user + "iai"), ["SourceProviderAccountId"] = objectId, ["AccountId"] = DataGenerator.Guid(user + "acct"),
                ["IdentityId"] = DataGenerator.Guid(user + "identity"), ["IsPrimary"] = true, ["IdentityLinkType"] = "Strong identifiers", ["IdentityLinkReason"] = string.Empty,
                ["IdentityLinkTime"] = c.Now.AddDays(-200), ["IdentityLinkBy"] = "System", ["DisplayName"] = HuntingRowContext.DisplayName(user), ["AccountUpn"] = c.Upn(user),
                ["EmailAddress"] = c.Upn(user), ["CriticalityLevel"] = index == 0 ? 2 : 0, ["DefenderRiskLevel"] = user == s.User ? 3 : 1, ["DefenderRiskUpdateTime"] = user == s.User ? s.Start.AddMinutes(13) : c.Now.AddDays(-3),
                ["Type"] = "User", ["GivenName"] = HuntingRowContext.DisplayName(user).Split(' ')[0], ["Surname"] = HuntingRowContext.DisplayName(user).Split(' ')[^1],
                ["EmployeeId"] = $"E{10000 + index}", ["Department"] = new[] { "Finance", "HR", "Engineering", "Sales", "Executive" }[index % 5], ["JobTitle"] = "Employee",
                ["City"] = "Seattle", ["Country"] = "US", ["Sid"] = DataGenerator.Sid(n, user), ["AccountStatus"] = "Enabled", ["SourceProvider"] = "AzureActiveDirectory",
                ["SourceProviderInstanceId"] = DataGenerator.Guid(n.Domain + "tenant"), ["SourceProviderInstanceDisplayName"] = n.NetBios, ["AuthenticationMethod"] = "Hybrid",
                ["EnrolledMfas"] = "[{\"Type\":\"MicrosoftAuthenticator\",\"Status\":\"Enabled\"}]", ["LastPasswordChangeTime"] = c.Now.AddDays(-40 - index),
                ["GroupMembership"] = "[]", ["AssignedRoles"] = index == n.Users.Count - 1 ? "[\"Security Administrator\"]" : "[]", ["EligibleRoles"] = "[]", ["TenantMembershipType"] = "Member",
                ["CreatedDateTime"] = c.Now.AddDays(-700 + index), ["Tags"] = "[]", ["SourceProvderRiskLevel"] = user == s.User ? "\"High\"" : "\"Low\"", ["AdditionalFields"] = "{}",
                ["TenantId"] = DataGenerator.Guid(n.Domain + "tenant"),
            });
        }

        for (var j = 0; j < 12; j++)
        {
            var user = n.Users[j % n.Users.Count];
            c.Add("IdentityEvents", new()
            {
                ["Timestamp"] = c.Recent(), ["ReportId"] = DataGenerator.Guid($"okta{j}{n.Domain}"), ["AccountId"] = $"00u{DataGenerator.Hex(user + "okta", 8)}", ["AccountType"] = "User",
                ["AccountDisplayName"] = HuntingRowContext.DisplayName(user), ["AccountUpn"] = c.Upn(user), ["ActionType"] = j % 4 == 3 ? "user.session.start" : "user.authentication.sso",
                ["ActionResult"] = "SUCCESS", ["ActionFailureReason"] = string.Empty, ["IPAddress"] = c.OfficeIp, ["UserAgent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/120.0",
                ["TargetObjects"] = "[{\"type\":\"AppInstance\",\"displayName\":\"Salesforce\"}]", ["Application"] = "Okta", ["ApplicationInstanceId"] = $"{n.Prefix}.okta.com",
                ["ApplicationEventId"] = DataGenerator.Guid($"oktaevent{j}{n.Domain}"), ["ApplicationSessionId"] = DataGenerator.Hex($"oktasession{j}", 12), ["RawEventData"] = "{}", ["AdditionalFields"] = "{}",
            });
        }

        // The story: the stolen token reads the victim's mail through Graph; background: the inventory service lists users.
        GraphCall(c, s.Start.AddMinutes(14), n.AttackerIp, c.ObjectId(s.User), "1950a258-227b-4e31-a9cf-717495945fc2", $"https://graph.microsoft.com/v1.0/users/{c.Upn(s.User)}/messages", "Mail.Read", 48213);
        for (var j = 0; j < 10; j++)
        {
            GraphCall(c, c.Recent(), "20.190.128.10", string.Empty, DataGenerator.Guid(n.Domain + "svc-inventory" + "app"), "https://graph.microsoft.com/v1.0/users?$top=100", "User.Read.All", 15320);
        }

        foreach (var (name, privilege, risk, consented, origin) in new[] { ("Contoso Expense Sync", "Low", 12, true, "Internal"), ("Mail Archiver Pro", "High", 71, false, "External") })
        {
            c.Add("OAuthAppInfo", new()
            {
                ["ReportId"] = DataGenerator.Guid(n.Domain + name + "report"), ["Timestamp"] = c.Now.AddHours(-2), ["OAuthAppId"] = DataGenerator.Guid(n.Domain + name),
                ["ServicePrincipalId"] = DataGenerator.Guid(n.Domain + name + "sp"), ["AppName"] = name, ["AddedOnTime"] = c.Now.AddDays(-120), ["LastModifiedTime"] = c.Now.AddDays(-9),
                ["AppStatus"] = "Enabled", ["VerifiedPublisher"] = origin == "Internal" ? $"{{\"DisplayName\":\"{n.NetBios}\"}}" : "{}", ["PrivilegeLevel"] = privilege,
                ["Permissions"] = privilege == "High" ? "[{\"PermissionName\":\"Mail.ReadWrite\",\"PermissionType\":\"Application\",\"PrivilegeLevel\":\"High\",\"UsageStatus\":\"InUse\"}]" : "[{\"PermissionName\":\"User.Read\",\"PermissionType\":\"Delegated\",\"PrivilegeLevel\":\"Low\",\"UsageStatus\":\"InUse\"}]",
                ["ConsentedUsersCount"] = consented ? 0 : 3, ["IsAdminConsented"] = consented, ["AppOrigin"] = origin, ["LastUsedTime"] = c.Now.AddHours(-5),
                ["AppOwnerTenantId"] = origin == "Internal" ? DataGenerator.Guid(n.Domain + "tenant") : DataGenerator.Guid("external-tenant"), ["RiskScore"] = risk, ["AssignedRoles"] = "[]",
            });
        }
    }

    private static void SignIn(HuntingRowContext c, DateTime when, string user, (string Name, string Id) app, Device? device, string ip, string country, string city, int error, int risk, int riskState, string requirement)
    {
        var n = c.Names;
        var session = DataGenerator.Guid($"{user}{when.Ticks}session");
        foreach (var table in new[] { "EntraIdSignInEvents", "AADSignInEventsBeta" })
        {
            c.Add(table, new()
            {
                ["Timestamp"] = when, ["Application"] = app.Name, ["ApplicationId"] = app.Id, ["LogonType"] = "[\"interactiveUser\"]", ["ErrorCode"] = error,
                ["CorrelationId"] = DataGenerator.Guid($"{user}{when.Ticks}corr"), ["SessionId"] = session, ["AccountDisplayName"] = HuntingRowContext.DisplayName(user),
                ["AccountObjectId"] = c.ObjectId(user), ["AccountUpn"] = c.Upn(user), ["IsExternalUser"] = 0, ["IsGuestUser"] = false, ["AlternateSignInName"] = c.Upn(user),
                ["LastPasswordChangeTimestamp"] = c.Now.AddDays(-40), ["ResourceDisplayName"] = app.Name, ["ResourceId"] = app.Id, ["ResourceTenantId"] = DataGenerator.Guid(n.Domain + "tenant"),
                ["DeviceName"] = device?.Name ?? string.Empty, ["AadDeviceId"] = device is null ? string.Empty : DataGenerator.Guid(device.Name + "aad"),
                ["EntraIdDeviceId"] = device is null ? string.Empty : DataGenerator.Guid(device.Name + "aad"), ["OSPlatform"] = device?.Os ?? "Windows10",
                ["DeviceTrustType"] = device is null ? string.Empty : "Hybrid Azure AD joined", ["IsManaged"] = device is null ? 0 : 1, ["IsCompliant"] = device is null ? 0 : 1,
                ["AuthenticationProcessingDetails"] = "[]", ["AuthenticationRequirement"] = requirement, ["TokenIssuerType"] = 0, ["RiskLevelAggregated"] = risk, ["RiskDetails"] = 0,
                ["RiskState"] = riskState, ["UserAgent"] = device is null ? "Mozilla/5.0 (X11; Linux x86_64) python-requests/2.31" : "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/120.0",
                ["ClientAppUsed"] = "Browser", ["Browser"] = device is null ? "Python Requests 2.31" : "Edge 120.0", ["ConditionalAccessPolicies"] = "[]", ["ConditionalAccessStatus"] = device is null ? 2 : 0,
                ["IPAddress"] = ip, ["Country"] = country, ["State"] = country == "US" ? "Washington" : "North Holland", ["City"] = city,
                ["Latitude"] = country == "US" ? "47.61" : "52.37", ["Longitude"] = country == "US" ? "-122.33" : "4.90", ["NetworkLocationDetails"] = "[]",
                ["RequestId"] = DataGenerator.Guid($"{user}{when.Ticks}req"), ["ReportId"] = DataGenerator.Guid($"{user}{when.Ticks}{table}"), ["EndpointCall"] = "Sign-in",
                ["IsThroughGlobalSecureAccess"] = false, ["UniqueTokenId"] = DataGenerator.Hex($"{user}{when.Ticks}token", 16),
            });
        }
    }

    private static void Query(HuntingRowContext c, DateTime when, string user, Device from, Device dc, string type, string target) =>
        c.Add("IdentityQueryEvents", new()
        {
            ["Timestamp"] = when, ["ActionType"] = type == "QueryGroup" ? "LDAP query" : "SAMR query", ["Application"] = "Active Directory", ["QueryType"] = type, ["QueryTarget"] = target,
            ["Query"] = type == "QueryGroup" ? $"(&(objectClass=group)(cn={target}))" : type, ["Protocol"] = type == "QueryGroup" ? "Ldap" : "Samr",
            ["AccountName"] = user, ["AccountDomain"] = c.Names.Domain, ["AccountUpn"] = c.Upn(user), ["AccountSid"] = DataGenerator.Sid(c.Names, user), ["AccountObjectId"] = c.ObjectId(user),
            ["AccountDisplayName"] = HuntingRowContext.DisplayName(user), ["DeviceName"] = from.Name, ["IPAddress"] = from.Ip, ["Port"] = 50000 + (int)(when.Ticks % 10000),
            ["DestinationDeviceName"] = dc.Name, ["DestinationIPAddress"] = dc.Ip, ["DestinationPort"] = type == "QueryGroup" ? 389 : 445, ["TargetDeviceName"] = string.Empty,
            ["TargetAccountUpn"] = string.Empty, ["TargetAccountDisplayName"] = target, ["Location"] = "Seattle, US", ["ReportId"] = DataGenerator.Guid($"{user}{when.Ticks}{type}"), ["AdditionalFields"] = "{}",
        });

    private static void GraphCall(HuntingRowContext c, DateTime when, string ip, string account, string appId, string uri, string scopes, int size) =>
        c.Add("GraphApiAuditEvents", new()
        {
            ["IdentityProvider"] = $"https://sts.windows.net/{DataGenerator.Guid(c.Names.Domain + "tenant")}/", ["ApiVersion"] = "v1.0", ["ApplicationId"] = appId, ["IPAddress"] = ip,
            ["ClientRequestId"] = DataGenerator.Guid($"{uri}{when.Ticks}client"), ["EntityType"] = account.Length > 0 ? "user" : "app", ["RequestUri"] = uri, ["AccountObjectId"] = account,
            ["OperationId"] = DataGenerator.Guid($"{uri}{when.Ticks}op"), ["Location"] = "West Europe", ["RequestDuration"] = "182", ["RequestId"] = DataGenerator.Guid($"{uri}{when.Ticks}req"),
            ["RequestMethod"] = "GET", ["Timestamp"] = when, ["ResponseStatusCode"] = "200", ["Scopes"] = scopes, ["UniqueTokenIdentifier"] = DataGenerator.Hex($"{uri}{when.Ticks}uti", 16),
            ["TargetWorkload"] = uri.Contains("/messages", StringComparison.Ordinal) ? "Microsoft.Exchange" : "Microsoft.DirectoryServices",
            ["ServicePrincipalId"] = account.Length > 0 ? string.Empty : DataGenerator.Guid(c.Names.Domain + "svc-inventory"), ["ResponseSize"] = size,
        });
}
