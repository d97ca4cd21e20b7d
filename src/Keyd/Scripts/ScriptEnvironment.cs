using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Keyd.Scripts;

/// <summary>
/// The environment racoon 0.8.2 gives a hook script, variable for variable and in its order: with mode-cfg support
/// compiled in (Debian's build) the Mode Config variables come first and are always present (empty when nothing was
/// received or handed out; XAUTH_USER only when a login is known), then LOCAL_ADDR/PORT, REMOTE_ADDR/PORT and
/// REMOTE_ID when the peer's ID is known. Nothing else: racoon execs the script with exactly this environment (no PATH).
/// </summary>
public static class ScriptEnvironment
{
    public static IReadOnlyList<KeyValuePair<string, string>> Build(IPEndPoint local, IPEndPoint remote, Phase1Details? details)
    {
        var env = new List<KeyValuePair<string, string>>();
        void Add(string name, string value) => env.Add(new(name, value));

        var cfg = details?.ModeCfg;
        Add("INTERNAL_ADDR4", Text(cfg?.Address4));
        if (details?.XauthUser is { } user)
            Add("XAUTH_USER", user);
        // racoon documented INTERNAL_NETMASK4 while its code set INTERNAL_MASK4; it sets both.
        Add("INTERNAL_MASK4", Text(cfg?.Netmask4));
        Add("INTERNAL_NETMASK4", Text(cfg?.Netmask4));
        Add("INTERNAL_CIDR4", MaskBits(cfg?.Netmask4).ToString(CultureInfo.InvariantCulture));
        Add("INTERNAL_DNS4", cfg?.Dns4.Count > 0 ? Text(cfg.Dns4[0]) : "");
        Add("INTERNAL_DNS4_LIST", List(cfg?.Dns4));
        Add("INTERNAL_WINS4", cfg?.Wins4.Count > 0 ? Text(cfg.Wins4[0]) : "");
        Add("INTERNAL_WINS4_LIST", List(cfg?.Wins4));
        Add("DEFAULT_DOMAIN", cfg?.DefaultDomain ?? "");
        Add("SPLIT_INCLUDE", Networks(cfg?.SplitInclude, cidr: false));
        Add("SPLIT_INCLUDE_CIDR", Networks(cfg?.SplitInclude, cidr: true));
        Add("SPLIT_LOCAL", Networks(cfg?.SplitLocal, cidr: false));
        Add("SPLIT_LOCAL_CIDR", Networks(cfg?.SplitLocal, cidr: true));

        Add("LOCAL_ADDR", local.Address.ToString());
        Add("LOCAL_PORT", local.Port.ToString(CultureInfo.InvariantCulture));
        Add("REMOTE_ADDR", remote.Address.ToString());
        Add("REMOTE_PORT", remote.Port.ToString(CultureInfo.InvariantCulture));
        if (details?.PeerId is { } id)
            Add("REMOTE_ID", id);
        return env;
    }

    private static string Text(IPAddress? address) => address?.ToString() ?? "";

    /// <summary>Addresses separated by one space; racoon's list stops at the first 0.0.0.0.</summary>
    private static string List(IReadOnlyList<IPAddress>? addresses) =>
        addresses is null ? "" : string.Join(' ', addresses.TakeWhile(a => !a.Equals(IPAddress.Any)));

    /// <summary>racoon counts the bits by shifting the mask left until it is zero (no mask: 0).</summary>
    private static int MaskBits(IPAddress? mask)
    {
        if (mask is null || mask.AddressFamily != AddressFamily.InterNetwork)
            return 0;
        var bytes = mask.GetAddressBytes();
        var value = (uint)((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]);
        var bits = 0;
        for (; value != 0; bits++)
            value <<= 1;
        return bits;
    }

    /// <summary>`net/mask net/mask` (dotted masks) or `net/plen net/plen`, in the order received.</summary>
    private static string Networks(IReadOnlyList<IPNetwork>? networks, bool cidr)
    {
        if (networks is null)
            return "";
        return string.Join(' ', networks.Select(n => cidr
            ? $"{n.BaseAddress}/{n.PrefixLength.ToString(CultureInfo.InvariantCulture)}"
            : $"{n.BaseAddress}/{Mask(n.PrefixLength)}"));
    }

    private static IPAddress Mask(int prefix)
    {
        var value = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
