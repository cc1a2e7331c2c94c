namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Rows of the cloud and exposure tables: Defender for Cloud audit, DNS, container process and storage events on the
/// tenant's small AKS cluster and storage account, the exposure graph (devices, users, the story's CVE and who can
/// reach what), and the Copilot Studio agents.
/// </summary>
public static class CloudRows
{
    /// <summary>Adds the rows of the cloud and exposure tables.</summary>
    public static void Add(HuntingRowContext c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var n = c.Names;
        var subscription = DataGenerator.Guid(n.Domain + "subscription");
        var cluster = $"/subscriptions/{subscription}/resourceGroups/rg-{n.Prefix}-apps/providers/Microsoft.ContainerService/managedClusters/aks-{n.Prefix}-prod";
        var admin = c.Upn(n.Users[^1]);
        foreach (var (operation, action, j) in new[]
        {
            ("Microsoft.Compute/virtualMachines/write", "Create", 0), ("Microsoft.Storage/storageAccounts/listKeys/action", "Other", 1),
            ("Microsoft.Authorization/roleAssignments/write", "Create", 2), ("Microsoft.ContainerService/managedClusters/read", "Read", 3),
        })
        {
            for (var k = 0; k < 3; k++)
            {
                c.Add("CloudAuditEvents", new()
                {
                    ["Timestamp"] = c.Recent(), ["ReportId"] = DataGenerator.Guid($"{n.Domain}audit{j}{k}"), ["DataSource"] = "Azure", ["ActionType"] = action, ["OperationName"] = operation,
                    ["ResourceId"] = j == 3 ? cluster : $"/subscriptions/{subscription}/resourceGroups/rg-{n.Prefix}-apps", ["IPAddress"] = c.OfficeIp, ["IsAnonymousProxy"] = false,
                    ["CountryCode"] = "US", ["City"] = "Seattle", ["Isp"] = "Example Telecom", ["UserAgent"] = "Azure-CLI/2.57.0",
                    ["RawEventData"] = $"{{\"caller\":\"{admin}\",\"status\":\"Succeeded\"}}", ["AdditionalFields"] = "{}",
                });
            }
        }

        string[] pods = ["web-frontend-7d9f", "orders-api-5c8b", "payments-worker-66f1"];
        foreach (var (pod, j) in pods.Select((p, i) => (p, i)))
        {
            foreach (var (query, k) in new[] { "login.microsoftonline.com", "api.github.com", $"db.{n.Domain}", "mcr.microsoft.com" }.Select((q, i) => (q, i)))
            {
                c.Add("CloudDnsEvents", new()
                {
                    ["Timestamp"] = c.Recent(), ["ReportId"] = DataGenerator.Guid($"{n.Domain}dns{j}{k}"), ["ActionType"] = "DnsQuery", ["AzureResourceId"] = cluster,
                    ["KubernetesResource"] = $"default/deployment/{pod[..pod.LastIndexOf('-')]}", ["KubernetesNamespace"] = "default", ["KubernetesPodName"] = pod,
                    ["ContainerName"] = pod[..pod.LastIndexOf('-')], ["ContainerId"] = DataGenerator.Hex(pod + "container", 32), ["ImageName"] = $"{n.Prefix}acr.azurecr.io/{pod[..pod.LastIndexOf('-')]}:1.4",
                    ["ProcessName"] = "node", ["ProcessId"] = 1L + j, ["DnsEventType"] = "query", ["DnsEventSubType"] = "request", ["DnsQuery"] = query, ["DnsQueryTypeName"] = "A",
                    ["DnsResponseCodeName"] = "NOERROR", ["DnsNetworkDuration"] = 3L + k, ["TransactionIdHex"] = DataGenerator.Hex(pod + query, 2), ["ImageDigest"] = "sha256:" + DataGenerator.Hex(pod + "digest", 32),
                    ["Region"] = "westeurope", ["HostName"] = $"aks-nodepool1-{j}", ["AdditionalFields"] = "{}",
                });
            }

            foreach (var (process, args, k) in new[] { ("node", "node server.js", 0), ("sh", "sh -c curl -s http://169.254.169.254/metadata/identity/oauth2/token", 1) })
            {
                // The metadata-token request in the payments pod is the kind of thing Defender for Containers flags.
                if (k == 1 && j != 2)
                {
                    continue;
                }

                c.Add("CloudProcessEvents", new()
                {
                    ["Timestamp"] = c.Recent(), ["AzureResourceId"] = cluster, ["ContainerImageName"] = $"{n.Prefix}acr.azurecr.io/{pod[..pod.LastIndexOf('-')]}:1.4",
                    ["KubernetesNamespace"] = "default", ["KubernetesPodName"] = pod, ["KubernetesResource"] = $"default/deployment/{pod[..pod.LastIndexOf('-')]}",
                    ["ContainerName"] = pod[..pod.LastIndexOf('-')], ["ContainerId"] = DataGenerator.Hex(pod + "container", 32), ["ActionType"] = "ProcessCreated", ["FileName"] = process,
                    ["FolderPath"] = process == "node" ? "/usr/local/bin" : "/bin", ["ProcessId"] = 10L + k, ["ProcessName"] = process, ["ParentProcessName"] = k == 0 ? "containerd-shim" : "node",
                    ["ParentProcessId"] = k == 0 ? "1" : "10", ["ProcessCommandLine"] = args, ["ProcessCreationTime"] = c.Now.AddDays(-2), ["ProcessCurrentWorkingDirectory"] = "/app",
                    ["AccountName"] = "node", ["LogonId"] = 0L, ["InitiatingProcessId"] = k == 0 ? "1" : "10", ["AdditionalFields"] = "{}",
                });
            }
        }

        for (var day = 0; day < 7; day++)
        {
            var end = c.Now.Date.AddDays(-day);
            var anonymous = day == 1;
            c.Add("CloudStorageAggregatedEvents", new()
            {
                ["DataAggregationStartTime"] = end.AddHours(-1), ["DataAggregationEndTime"] = end, ["DataSource"] = "StorageBlobLogs", ["SubscriptionId"] = subscription,
                ["ResourceGroup"] = $"rg-{n.Prefix}-data", ["StorageAccount"] = $"st{n.Prefix}finance", ["StorageContainer"] = "payroll", ["StorageFileShare"] = string.Empty,
                ["ServiceType"] = "Blob", ["IpAddress"] = anonymous ? n.AttackerIp : c.OfficeIp, ["UserAgentHeader"] = anonymous ? "curl/8.4.0" : "Azure-Storage/12.19.0",
                ["OperationNamesList"] = anonymous ? "[\"ListBlobs\",\"GetBlob\"]" : "[\"GetBlob\",\"PutBlob\"]", ["AuthenticationType"] = anonymous ? "Anonymous" : "OAuth",
                ["AccountObjectId"] = anonymous ? string.Empty : c.ObjectId(n.Users[0]), ["AccountTenantId"] = null, ["AccountApplicationId"] = string.Empty,
                ["AccountUpn"] = anonymous ? string.Empty : c.Upn(n.Users[0]), ["AccountType"] = null, ["OperationsCount"] = anonymous ? 40 : 120 + day,
                ["SuccessfulOperationsCount"] = anonymous ? 12 : 120 + day, ["FailedOperationsCount"] = anonymous ? 28 : 0, ["FirstEventTimestamp"] = end.AddMinutes(-55),
                ["LastEventTimestamp"] = end.AddMinutes(-5), ["TotalResponseLength"] = anonymous ? 1_200_000 : 54_000_000, ["SuccessfulReadOperations"] = anonymous ? 12 : 80,
                ["DistinctGetOperations"] = anonymous ? 12 : 30, ["AnonymousSuccessfulOperations"] = anonymous ? 12 : 0, ["HasAnonymousResourceNotFoundFailures"] = anonymous,
                ["CountryName"] = anonymous ? "Netherlands" : "United States", ["CityName"] = anonymous ? "Amsterdam" : "Seattle", ["ProvinceName"] = anonymous ? "North Holland" : "Washington",
                ["ClientSystemServiceName"] = string.Empty, ["ClientCloudPlatformName"] = string.Empty, ["IsTorExitNode"] = anonymous, ["IsKnownSuspiciousIp"] = anonymous, ["IsPrivateIp"] = false,
                ["SuspiciousUserAgentName"] = anonymous ? "curl" : string.Empty, ["HashReputationMd5List"] = "[]",
                ["AzureResourceId"] = $"/subscriptions/{subscription}/resourceGroups/rg-{n.Prefix}-data/providers/Microsoft.Storage/storageAccounts/st{n.Prefix}finance",
                ["Location"] = "westeurope", ["Timestamp"] = end, ["ReportId"] = DataGenerator.Guid($"{n.Domain}storage{day}"), ["ActionType"] = "AggregatedLogs", ["AdditionalFields"] = "{}",
            });
        }

        AddExposureGraph(c);
        foreach (var (name, status, k) in new[] { ("HR Policy Helper", "Published", 0), ("Finance Invoice Bot", "Published", 1), ("Draft Sales Coach", "Created", 2) })
        {
            var owner = c.Upn(n.Users[(k * 3) + 1]);
            c.Add("AIAgentsInfo", new()
            {
                ["Timestamp"] = c.Now.AddHours(-k - 1), ["AIAgentId"] = DataGenerator.Guid(n.Domain + name), ["AIAgentName"] = name, ["AgentCreationTime"] = c.Now.AddDays(-60 + k),
                ["CreatorAccountUpn"] = owner, ["OwnerAccountUpns"] = $"[\"{owner}\"]", ["LastModifiedByUpn"] = owner, ["LastModifiedTime"] = c.Now.AddDays(-5 - k),
                ["LastPublishedTime"] = status == "Published" ? c.Now.AddDays(-5 - k) : null, ["LastPublishedByUpn"] = status == "Published" ? owner : string.Empty,
                ["AgentDescription"] = $"Answers questions for {name.Split(' ')[0]}", ["AgentStatus"] = status, ["UserAuthenticationType"] = "Microsoft",
                ["AgentUsers"] = $"[\"{DataGenerator.Guid(n.Domain + "group" + k)}\"]", ["KnowledgeDetails"] = "[{\"Type\":\"SharePoint\"}]",
                ["AgentActionTriggers"] = k == 1 ? "[\"When an email arrives\"]" : "[]", ["RawAgentInfo"] = "{}", ["AuthenticationTrigger"] = "As Needed",
                ["AccessControlPolicy"] = k == 1 ? "Any" : "Group membership", ["AuthorizedSecurityGroupIds"] = $"[\"{DataGenerator.Guid(n.Domain + "group" + k)}\"]",
                ["AgentTopicsDetails"] = "[]", ["AgentToolsDetails"] = k == 1 ? "[{\"Name\":\"Send an email (V2)\"}]" : "[]", ["EnvironmentId"] = DataGenerator.Guid(n.Domain + "env"),
                ["Platform"] = "Copilot Studio",
            });
        }
    }

    private static void AddExposureGraph(HuntingRowContext c)
    {
        var n = c.Names;
        string NodeOf(string kind, string key) => DataGenerator.Guid($"{n.Domain}node{kind}{key}");
        void Node(string id, string label, string name, string categories, string properties, string entityIds) =>
            c.Add("ExposureGraphNodes", new() { ["NodeId"] = id, ["NodeLabel"] = label, ["NodeName"] = name, ["Categories"] = categories, ["NodeProperties"] = properties, ["EntityIds"] = entityIds });
        void Edge(string label, (string Id, string Name, string Label, string Categories) source, (string Id, string Name, string Label, string Categories) target) =>
            c.Add("ExposureGraphEdges", new()
            {
                ["EdgeId"] = DataGenerator.Guid($"{source.Id}{label}{target.Id}"), ["EdgeLabel"] = label, ["SourceNodeId"] = source.Id, ["SourceNodeName"] = source.Name,
                ["SourceNodeLabel"] = source.Label, ["SourceNodeCategories"] = source.Categories, ["TargetNodeId"] = target.Id, ["TargetNodeName"] = target.Name,
                ["TargetNodeLabel"] = target.Label, ["TargetNodeCategories"] = target.Categories, ["EdgeProperties"] = "{}",
            });

        const string DeviceCategories = "[\"compute\",\"device\",\"virtual_machine\"]";
        const string UserCategories = "[\"identity\",\"user\"]";
        const string CveCategories = "[\"vulnerability\"]";
        var cve = (Id: NodeOf("cve", VulnerabilityCatalog.StoryCve), Name: VulnerabilityCatalog.StoryCve, Label: "microsoft.vulnerability", Categories: CveCategories);
        Node(cve.Id, cve.Label, cve.Name, cve.Categories, "{\"rawData\":{\"severity\":\"High\",\"cvssScore\":8.8}}", $"[{{\"id\":\"{VulnerabilityCatalog.StoryCve}\",\"type\":\"CveId\"}}]");
        foreach (var d in c.Devices)
        {
            var node = (Id: NodeOf("device", d.Id), Name: d.Name, Label: "device", Categories: DeviceCategories);
            var exposed = d.Name.Contains("-fin-lt-", StringComparison.Ordinal) || d.Name.Contains("-hr-lt-", StringComparison.Ordinal);
            Node(node.Id, node.Label, node.Name, node.Categories,
                $"{{\"rawData\":{{\"osPlatform\":\"{d.Os}\",\"criticalityLevel\":{{\"criticalityLevel\":{(d.Kind == "Server" ? 0 : 3)}}},\"exposedToInternet\":{(d.Tags.Contains("DMZ") ? "true" : "false")},\"vulnerableToRCE\":{(exposed ? "true" : "false")}}}}}",
                $"[{{\"id\":\"{d.Id}\",\"type\":\"DeviceInventoryId\"}}]");
            if (exposed)
            {
                Edge("affecting", cve, node);
            }

            if (d.Kind == "Workstation")
            {
                var user = c.OwnerOf(d);
                var userNode = (Id: NodeOf("user", user), Name: HuntingRowContext.DisplayName(user), Label: "user", Categories: UserCategories);
                Edge("can authenticate to", userNode, node);
            }
        }

        foreach (var user in n.Users)
        {
            Node(NodeOf("user", user), "user", HuntingRowContext.DisplayName(user), UserCategories,
                $"{{\"rawData\":{{\"accountUpn\":\"{c.Upn(user)}\",\"isActive\":true}}}}", $"[{{\"id\":\"{c.ObjectId(user)}\",\"type\":\"AadObjectId\"}}]");
        }

        // The story's lateral movement: the phished user is local admin on the file server.
        var server = c.Story.Server;
        Edge("has role on", (NodeOf("user", c.Story.User), HuntingRowContext.DisplayName(c.Story.User), "user", UserCategories), (NodeOf("device", server.Id), server.Name, "device", DeviceCategories));
    }
}
