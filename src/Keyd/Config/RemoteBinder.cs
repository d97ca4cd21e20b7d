using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// Turns a parsed `remote` statement into a <see cref="RemoteConfig"/>: resolves `inherit` against the
/// remotes defined before it, applies the specs in order, then checks what racoon's
/// <c>process_rmconf</c> checks. A section with errors is reported and not added.
/// </summary>
internal static class RemoteBinder
{
    public static void Apply(ConfigBuilder b, RemoteHeader header, IReadOnlyList<RemoteSpec> specs)
    {
        var at = header.Location;
        if (header.QuotedName is { } quoted && b.Remotes.Any(r => r.Name == quoted))
        {
            b.Error(at, $"named remoteconf \"{quoted}\" already exists");
            return;
        }

        RemoteConfig remote;
        if (header.Inherits)
        {
            var parent = FindParent(b, header);
            if (parent is null)
            {
                b.Error(at, header.ParentName is not null
                    ? $"named parent remoteconf \"{header.ParentName}\" does not exist"
                    : $"failed to get remoteconf for {RemoteConfig.NameFor(header.ParentIndex!.Address, header.ParentIndex.Port)}: no remote section with that address is defined before this one");
                return;
            }
            remote = parent with
            {
                Name = header.QuotedName ?? RemoteConfig.NameFor(header.Index!.Address, header.Index.Port),
                Inherits = parent.Name,
                Address = header.Index is not null ? header.Index.Address : parent.Address,
                Port = header.Index?.Port ?? parent.Port,
                Location = at,
            };
        }
        else
        {
            remote = new RemoteConfig
            {
                Name = header.QuotedName ?? RemoteConfig.NameFor(header.Index!.Address, header.Index.Port),
                Address = header.Index?.Address,
                Port = header.Index?.Port ?? 500,
                Location = at,
            };
        }

        try
        {
            foreach (var spec in specs)
                remote = spec.Apply(remote, b);
        }
        catch (ConfigErrorException e)
        {
            b.Error(e.Location ?? at, e.Message);
            return;
        }

        var errors = Validate(remote).ToList();
        foreach (var error in errors)
            b.Error(at, $"remote {Describe(remote)}: {error}");
        if (errors.Count > 0)
            return;

        if (remote.MyIdentifier.Type == IdentifierType.Subnet)
            b.Warn(at, $"remote {Describe(remote)}: my_identifier subnet gives an empty identifier in racoon; use address");
        if (remote.Address is not null && b.Remotes.FirstOrDefault(r => r.Address?.Equals(remote.Address) == true) is { } twin)
            b.Warn(at, $"remote {Describe(remote)}: the remote section \"{twin.Name}\" (line {twin.Location?.Line}) has the same address; racoon finds the two ambiguous and selects neither for this peer");
        b.Remotes.Add(remote);
    }

    private static string Describe(RemoteConfig r) => $"\"{r.Name}\"";

    private static RemoteConfig? FindParent(ConfigBuilder b, RemoteHeader header)
    {
        if (header.ParentName is { } name)
            return b.Remotes.LastOrDefault(r => r.Name == name);
        var index = header.ParentIndex!;
        if (index.Address is null)
            return b.Remotes.LastOrDefault(r => r.IsAnonymous);
        return RemoteSelector.Select(b.Remotes, new RemoteQuery { Peer = index.Address, ExcludeAnonymous = true });
    }

    /// <summary>racoon's checks when a remote section closes.</summary>
    public static IEnumerable<string> Validate(RemoteConfig remote)
    {
        if (remote.ExchangeModes.Count == 0)
            yield return "no exchange mode specified (add exchange_mode main; for example)";
        if (remote.Proposals.Count == 0)
            yield return "no proposal specified (add a proposal { encryption_algorithm ...; hash_algorithm ...; authentication_method ...; dh_group ...; })";
        if (remote.Accepts(ExchangeMode.Aggressive) && remote.Proposals.Select(p => p.DhGroup).Distinct().Count() > 1)
            yield return "DH group must be equal in all proposals when aggressive mode is used";
        if (remote.MyIdentifier is { Type: IdentifierType.Asn1Dn, Value: null } && remote.CertificateType?.Kind != CertificateKind.X509)
            yield return "my_identifier asn1dn without a DN takes the subject of the certificate: it needs certificate_type x509";
    }
}
