// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Text;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Transaction;

// The XAuth client and the Mode Config client (racoon isakmp_xauth_req, isakmp_xauth_set, isakmp_cfg_getconfig,
// isakmp_cfg_reply). racoon itself configures no address: what arrives goes to Phase1Up for the phase1_up script.
internal sealed partial class TransactionExchange
{
    /// <summary>What racoon's client asks for (<c>isakmp_cfg_getconfig</c>), in its order.</summary>
    private static readonly ModeCfgAttributeType[] ConfigRequest =
    [
        ModeCfgAttributeType.InternalIp4Address,
        ModeCfgAttributeType.InternalIp4Netmask,
        ModeCfgAttributeType.InternalIp4Dns,
        ModeCfgAttributeType.InternalIp4Nbns,
        ModeCfgAttributeType.UnityBanner,
        ModeCfgAttributeType.UnityDefaultDomain,
        ModeCfgAttributeType.UnitySplitDnsName,
        ModeCfgAttributeType.UnitySplitInclude,
        ModeCfgAttributeType.UnityLocalLan,
        ModeCfgAttributeType.ApplicationVersion,
    ];

    // C: REQUEST(TYPE, USER, PASSWORD) -> REPLY with our login
    private void ClientGotXauthRequest(AttributePayload request)
    {
        if (Role != XauthRole.Client || step != Step.AwaitXauthRequest)
        {
            throw ExchangeException.Drop(Role != XauthRole.Client
                ? "Xauth request, but we are not an XAuth client for this phase 1 (authentication_method *_client)"
                : $"Xauth request while Xauth state is {step}");
        }
        if (request.TryGetAttribute(ModeCfgAttributeType.XauthType, out var type) && type.TryGetInteger(out var t) && t != XauthTypeGeneric)
        {
            throw ExchangeException.Abort($"Unsupported authtype {t}", null);
        }
        if (request.TryGetAttribute(ModeCfgAttributeType.XauthMessage, out var text))
        {
            TransactionLog.ServerMessage(S.Log, Text(text));
        }
        var login = Sa.XauthClientCredentials;
        byte[]? fromPsk = null;
        if (login is null && Sa.Remote.XauthLogin is { } name && S.PreSharedKeys.Find(name) is { } key)
        {
            fromPsk = key;
            login = new XauthCredentials(name, key);
        }
        if (login is null)
        {
            throw ExchangeException.Abort($"Xauth request, but no login for {RacoonText.Endpoint(Sa.Peer)}: set xauth_login with its password in psk.txt, or use racoonctl vpn-connect -u", null);
        }
        try
        {
            var answer = new List<DataAttribute>();
            foreach (var a in request.Attributes)
            {
                switch ((ModeCfgAttributeType)a.Type)
                {
                    case ModeCfgAttributeType.XauthType:
                        answer.Add(DataAttribute.Basic(a.Type, XauthTypeGeneric));
                        break;
                    case ModeCfgAttributeType.XauthUserName:
                        answer.Add(DataAttribute.Variable(a.Type, Encoding.UTF8.GetBytes(login.Login)));
                        break;
                    case ModeCfgAttributeType.XauthUserPassword:
                        answer.Add(DataAttribute.Variable(a.Type, login.Password));
                        break;
                    case ModeCfgAttributeType.XauthMessage:
                        break;
                    default:
                        TransactionLog.IgnoredAttribute(S.Log, ((ModeCfgAttributeType)a.Type).ToString());
                        break;
                }
            }
            XauthUser = login.Login;
            Send(ModeCfgMessageType.Reply, request.Identifier, [.. answer], newExchange: false, expectAnswer: false);
        }
        finally
        {
            if (fromPsk is not null)
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(fromPsk);
            }
        }
        step = Step.AwaitXauthStatus;
    }

    // C: SET(STATUS) -> ACK(STATUS); then REQUEST our configuration (`mode_cfg on`), or the phase 1 goes on a failure
    private void ClientGotXauthStatus(AttributePayload set, DataAttribute status)
    {
        if (Role != XauthRole.Client || step != Step.AwaitXauthStatus)
        {
            throw ExchangeException.Drop($"Xauth status while Xauth state is {step}");
        }
        var ok = status.TryGetInteger(out var value) && value == 1;
        Send(ModeCfgMessageType.Acknowledge, set.Identifier, [DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthStatus, ok ? (ushort)1 : (ushort)0)],
            newExchange: false, expectAnswer: false);
        if (!ok)
        {
            TransactionLog.XauthClientFailed(S.Log);
            step = Step.Done;
            throw ExchangeException.Abort($"XAuth login \"{XauthUser}\" refused by {RacoonText.Endpoint(Sa.Peer)}", null);
        }
        TransactionLog.XauthClientSucceeded(S.Log);
        XauthOk = true;
        if (Sa.Remote.ModeConfig)
        {
            SendConfigRequest();
        }
        else
        {
            step = Step.Done;
            Completed = true;
        }
    }

    // C: REQUEST(ADDR, MASK, DNS ...), a new exchange
    private void SendConfigRequest()
    {
        identifier = NewIdentifier();
        Send(ModeCfgMessageType.Request, identifier, [.. ConfigRequest.Select(t => DataAttribute.Variable((ushort)t, []))], newExchange: true, expectAnswer: true);
        step = Step.AwaitConfigReply;
    }

    // C: REPLY(ADDR ...) -> the configuration, for the phase1_up script
    private void ClientGotConfigReply(AttributePayload reply)
    {
        if (reply.Identifier != identifier)
        {
            throw ExchangeException.Drop($"Mode Config REPLY with identifier {reply.Identifier}, our REQUEST had {identifier}");
        }
        Retransmit = null;
        Received(reply);
    }

    // C: SET(ADDR ...) pushed by the server -> ACK naming what we took
    private void ClientGotConfigSet(AttributePayload set)
    {
        if (Role == XauthRole.Server || !XauthOk || step is Step.AwaitXauthReply or Step.AwaitStatusAck)
        {
            throw ExchangeException.Drop($"Mode Config SET while we are not a configured client (state {step})");
        }
        Send(ModeCfgMessageType.Acknowledge, set.Identifier, [.. set.Attributes.Select(a => a.IsBasic ? DataAttribute.Basic(a.Type, a.BasicValue) : DataAttribute.Variable(a.Type, []))],
            newExchange: false, expectAnswer: false);
        Retransmit = null;
        Received(set);
    }

    private void Received(AttributePayload payload)
    {
        var got = new ModeCfgAttributes();
        var dns = new List<System.Net.IPAddress>();
        var wins = new List<System.Net.IPAddress>();
        foreach (var a in payload.Attributes.Where(a => !a.IsBasic && a.VariableValue.Length > 0))
        {
            got = (ModeCfgAttributeType)a.Type switch
            {
                ModeCfgAttributeType.InternalIp4Address => got with { Address4 = Address(a) },
                ModeCfgAttributeType.InternalIp4Netmask => got with { Netmask4 = Address(a) },
                ModeCfgAttributeType.UnityDefaultDomain => got with { DefaultDomain = Text(a) },
                ModeCfgAttributeType.UnityBanner => got with { Banner = Text(a) },
                ModeCfgAttributeType.UnitySplitDnsName => got with { SplitDns = Text(a).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                ModeCfgAttributeType.UnitySplitInclude => got with { SplitInclude = UnityNetworks.Decode(a.VariableValue) },
                ModeCfgAttributeType.UnityLocalLan => got with { SplitLocal = UnityNetworks.Decode(a.VariableValue) },
                _ => got,
            };
            if (a.Type == (ushort)ModeCfgAttributeType.InternalIp4Dns)
            {
                dns.Add(Address(a));
            }
            else if (a.Type == (ushort)ModeCfgAttributeType.InternalIp4Nbns)
            {
                wins.Add(Address(a));
            }
        }
        Attributes = got with { Dns4 = dns, Wins4 = wins };
        TransactionLog.ConfigurationReceived(S.Log, Describe(Attributes));
        step = Step.Done;
        Completed = true;
    }

    private static string Describe(ModeCfgAttributes a) =>
        $"INTERNAL_ADDR4={a.Address4} INTERNAL_NETMASK4={a.Netmask4} INTERNAL_DNS4={string.Join(" ", a.Dns4)} INTERNAL_WINS4={string.Join(" ", a.Wins4)} "
        + $"SPLIT_INCLUDE={string.Join(" ", a.SplitInclude)} SPLIT_LOCAL={string.Join(" ", a.SplitLocal)} DEFAULT_DOMAIN={a.DefaultDomain}";
}
