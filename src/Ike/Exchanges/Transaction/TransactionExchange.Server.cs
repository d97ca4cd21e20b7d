// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using System.Security.Cryptography;
using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Transaction;

// The XAuth server and the Mode Config server (racoon xauth_sendreq, xauth_attr_reply, isakmp_cfg_request).
internal sealed partial class TransactionExchange
{
    /// <summary>racoon's APPLICATION_VERSION answer names itself; ours says what answers.</summary>
    internal const string ApplicationVersion = "KernelIpsec racoon (ipsec-tools 0.8.2 compatible)";

    private const int MaxBanner = 4096;

    // S: phase 1 done -> REQUEST(generic type, empty user name and password)
    private void SendXauthRequest()
    {
        TransactionLog.SendingXauthRequest(S.Log);
        identifier = NewIdentifier();
        Send(ModeCfgMessageType.Request, identifier,
        [
            DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthType, XauthTypeGeneric),
            DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserName, []),
            DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserPassword, []),
        ], newExchange: true, expectAnswer: true);
        step = Step.AwaitXauthReply;
    }

    /// <summary>XAUTH-TYPE generic (draft-beaulieu-ike-xauth-02 6.2): the only type racoon's server knows.</summary>
    private const ushort XauthTypeGeneric = 0;

    // S: REPLY(user, password) -> check the account -> SET(status)
    private void ServerGotXauthReply(AttributePayload reply)
    {
        if (reply.TryGetAttribute(ModeCfgAttributeType.XauthType, out var type) && type.TryGetInteger(out var t) && t != XauthTypeGeneric)
        {
            throw ExchangeException.Drop($"Unexpected authentication type {t}");
        }
        if (!reply.TryGetAttribute(ModeCfgAttributeType.XauthUserName, out var userAttribute)
            || !reply.TryGetAttribute(ModeCfgAttributeType.XauthUserPassword, out var passwordAttribute))
        {
            throw ExchangeException.Drop("Xauth reply without user name and password");
        }
        var user = Encoding.UTF8.GetString(userAttribute.VariableValue).TrimEnd('\0');
        var password = passwordAttribute.VariableValue.ToArray();
        XauthUser = user;
        Retransmit = null;
        string? refusal;
        try
        {
            refusal = CheckLogin(user, password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
        if (refusal is not null)
        {
            if (pool.Release(this) is { } freed)
            {
                TransactionLog.ReleasedPort(S.Log, freed);
            }
            throttle.Failed(Sa.Peer.Address, S.Now, S.Config.ModeConfig?.AuthThrottle ?? TimeSpan.FromSeconds(1));
            TransactionLog.LoginRefused(S.Log, refusal, user);
            TransactionLog.LoginFailed(S.Log, user);
            Send(ModeCfgMessageType.Set, reply.Identifier, [DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthStatus, 0)], newExchange: true, expectAnswer: false);
            step = Step.Done;
            // As racoon's xauth_reply: the failure status, then the phase 1 goes (the engine deletes it on Abort).
            throw ExchangeException.Abort($"XAuth login failed for user \"{user}\"", null);
        }
        XauthOk = true;
        TransactionLog.LoginSucceeded(S.Log, user);
        Send(ModeCfgMessageType.Set, reply.Identifier, [DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthStatus, 1)], newExchange: true, expectAnswer: true);
        step = Step.AwaitStatusAck;
    }

    /// <summary>Throttle, address pool (racoon takes the slot at login: no address, no login), account, groups; null when accepted.</summary>
    private string? CheckLogin(string user, byte[] password)
    {
        var remaining = throttle.Remaining(Sa.Peer.Address, S.Now);
        if (remaining > TimeSpan.Zero)
        {
            TransactionLog.Throttling(S.Log, Sa.Peer.Address.ToString(), (long)Math.Ceiling(remaining.TotalSeconds));
            return "throttled after a failed login";
        }
        if (S.Config.ModeConfig is { } pool && TakeLease(pool) is null)
        {
            return "no address left in the pool";
        }
        if (S.Xauth is not { } accounts)
        {
            return "no account check configured (mode_cfg auth_source)";
        }
        if (!accounts.Authenticate(user, password, out var why))
        {
            return why ?? "wrong user name or password";
        }
        var groups = S.Config.ModeConfig?.AuthGroups ?? [];
        if (groups.Count > 0 && !groups.Any(g => accounts.IsMemberOf(user, g)))
        {
            return $"not a member of auth_groups {string.Join(", ", groups)}";
        }
        return null;
    }

    private int? TakeLease(ModeConfigServer config)
    {
        var had = pool.InUse;
        var slot = pool.Acquire(config, this, XauthUser, Sa.Peer.Address);
        if (slot is null)
        {
            TransactionLog.NoMoreAddresses(S.Log, config.PoolSize);
            TransactionLog.PortPoolDepleted(S.Log);
        }
        else if (pool.InUse != had)
        {
            TransactionLog.UsingPort(S.Log, slot.Value);
        }
        return slot;
    }

    // S: ACK(status) -> the client may pull its configuration now
    private void ServerGotStatusAck()
    {
        Retransmit = null;
        step = Step.AwaitConfigRequest;
        if (!Sa.Remote.ModeConfig)
        {
            Completed = true;
        }
    }

    // S: REQUEST(ADDR, MASK, DNS ...) -> REPLY with what mode_cfg {} gives
    private void ServerGotConfigRequest(AttributePayload request, IReadOnlyList<ushort> unknown)
    {
        if (S.Config.ModeConfig is not { } config)
        {
            throw ExchangeException.Drop("Mode Config REQUEST, but racoon.conf has no mode_cfg section");
        }
        if (Role == XauthRole.Client || step is Step.AwaitConfigReply or Step.AwaitXauthRequest or Step.AwaitXauthStatus)
        {
            throw ExchangeException.Drop($"Mode Config REQUEST from our own Mode Config server (state {step})");
        }
        if (!XauthOk)
        {
            throw ExchangeException.Drop("Attempt to start phase config whereas Xauth failed");
        }
        // A REQUEST also tells that our SET(status) arrived, should its ACK have been lost.
        Retransmit = null;
        var answer = new List<DataAttribute>();
        var handed = new ModeCfgAttributes();
        foreach (var a in request.Attributes)
        {
            if (unknown.Contains(a.Type))
            {
                continue;
            }
            var type = (ModeCfgAttributeType)a.Type;
            var before = answer.Count;
            handed = Answer(config, type, answer, handed);
            if (answer.Count == before && !Answerable(type))
            {
                TransactionLog.IgnoredAttribute(S.Log, type.ToString());
            }
        }
        Send(ModeCfgMessageType.Reply, request.Identifier, [.. answer], newExchange: false, expectAnswer: false);
        Attributes = handed;
        if (handed.Address4 is { } given)
        {
            TransactionLog.AddressHandedOut(S.Log, given.ToString(), XauthUser ?? "(no XAuth)", RacoonText.Endpoint(Sa.Peer));
        }
        step = Step.Done;
        Completed = true;
    }

    /// <summary>Types we answer when configured (an empty answer for them is no reason to warn).</summary>
    private static bool Answerable(ModeCfgAttributeType type) => type is ModeCfgAttributeType.InternalIp4Address or ModeCfgAttributeType.InternalIp4Netmask
        or ModeCfgAttributeType.InternalIp4Dns or ModeCfgAttributeType.InternalIp4Nbns or ModeCfgAttributeType.InternalIp4Subnet
        or ModeCfgAttributeType.ApplicationVersion or ModeCfgAttributeType.UnityBanner or ModeCfgAttributeType.UnitySavePassword
        or ModeCfgAttributeType.UnityDefaultDomain or ModeCfgAttributeType.UnitySplitDnsName or ModeCfgAttributeType.UnitySplitInclude
        or ModeCfgAttributeType.UnityLocalLan or ModeCfgAttributeType.UnityPfs;

    private ModeCfgAttributes Answer(ModeConfigServer config, ModeCfgAttributeType type, List<DataAttribute> answer, ModeCfgAttributes handed)
    {
        var t = (ushort)type;
        switch (type)
        {
            case ModeCfgAttributeType.InternalIp4Address:
                if (TakeLease(config) is { } slot && AddressPool.AddressOf(config, slot) is { } address)
                {
                    answer.Add(DataAttribute.Variable(t, address.GetAddressBytes()));
                    return handed with { Address4 = address };
                }
                return handed;
            case ModeCfgAttributeType.InternalIp4Netmask when config.Netmask4 is { } mask:
                answer.Add(DataAttribute.Variable(t, mask.GetAddressBytes()));
                return handed with { Netmask4 = mask };
            case ModeCfgAttributeType.InternalIp4Dns:
                answer.AddRange(config.Dns4.Select(d => DataAttribute.Variable(t, d.GetAddressBytes())));
                return handed with { Dns4 = config.Dns4 };
            case ModeCfgAttributeType.InternalIp4Nbns:
                answer.AddRange(config.Wins4.Select(d => DataAttribute.Variable(t, d.GetAddressBytes())));
                return handed with { Wins4 = config.Wins4 };
            case ModeCfgAttributeType.InternalIp4Subnet when config.Network4 is { } net && config.Netmask4 is { } netmask:
                answer.Add(DataAttribute.Variable(t, [.. net.GetAddressBytes(), .. netmask.GetAddressBytes()]));
                return handed;
            case ModeCfgAttributeType.ApplicationVersion:
                answer.Add(DataAttribute.Variable(t, Encoding.ASCII.GetBytes(ApplicationVersion)));
                return handed;
            case ModeCfgAttributeType.UnityBanner when ReadBanner(config.Banner) is { } banner:
                answer.Add(DataAttribute.Variable(t, banner));
                return handed with { Banner = Encoding.UTF8.GetString(banner) };
            case ModeCfgAttributeType.UnitySavePassword:
                answer.Add(DataAttribute.Basic(t, config.SavePassword ? (ushort)1 : (ushort)0));
                return handed;
            case ModeCfgAttributeType.UnityDefaultDomain when config.DefaultDomain is { } domain:
                answer.Add(DataAttribute.Variable(t, Encoding.ASCII.GetBytes(domain)));
                return handed with { DefaultDomain = domain };
            case ModeCfgAttributeType.UnitySplitDnsName when config.SplitDns.Count > 0:
                answer.Add(DataAttribute.Variable(t, Encoding.ASCII.GetBytes(string.Join(",", config.SplitDns))));
                return handed with { SplitDns = config.SplitDns };
            case ModeCfgAttributeType.UnitySplitInclude when config.SplitNetworks.Any(n => !n.LocalLan):
                answer.Add(DataAttribute.Variable(t, UnityNetworks.Encode(config.SplitNetworks.Where(n => !n.LocalLan))));
                return handed with { SplitInclude = UnityNetworks.Decode(UnityNetworks.Encode(config.SplitNetworks.Where(n => !n.LocalLan))) };
            case ModeCfgAttributeType.UnityLocalLan when config.SplitNetworks.Any(n => n.LocalLan):
                answer.Add(DataAttribute.Variable(t, UnityNetworks.Encode(config.SplitNetworks.Where(n => n.LocalLan))));
                return handed with { SplitLocal = UnityNetworks.Decode(UnityNetworks.Encode(config.SplitNetworks.Where(n => n.LocalLan))) };
            case ModeCfgAttributeType.UnityPfs when config.PfsGroup is { } group:
                answer.Add(DataAttribute.Basic(t, (ushort)group));
                return handed;
            default:
                return handed;
        }
    }

    /// <summary>The banner file (mode_cfg banner, /etc/motd by default), at most 4 KiB; null when it cannot be read.</summary>
    private static byte[]? ReadBanner(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            var bytes = File.ReadAllBytes(path);
            return bytes.Length == 0 ? null : bytes.Length > MaxBanner ? bytes[..MaxBanner] : bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Text(DataAttribute a) => Encoding.UTF8.GetString(a.VariableValue).TrimEnd('\0');

    private static IPAddress Address(DataAttribute a) => new(a.VariableValue);
}
