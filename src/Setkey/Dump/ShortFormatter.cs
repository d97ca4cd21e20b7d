using System.Globalization;
using System.Text;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Setkey.Dump;

/// <summary><c>setkey -D -l</c>: one line per SA (setkey's shortdump), a header before each round.</summary>
public sealed class ShortFormatter
{
    private readonly DumpOptions options;

    public ShortFormatter(DumpOptions options) => this.options = options;

    public const string Header = "time p   s spi      ltime   src -> dst\n";

    public string Format(IReadOnlyList<SecurityAssociation> sas)
    {
        var now = options.Time.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, options.TimeZone);
        var sb = new StringBuilder(Header);
        foreach (var sa in sas)
        {
            var type = sa.Id.Protocol switch
            {
                IpsecProtocol.Esp => "esp",
                IpsecProtocol.Ah => "ah",
                _ => "#" + ((byte)sa.Id.Protocol).ToString(CultureInfo.InvariantCulture),
            };
            var state = sa.Encryption is null && sa.Authentication is null && sa.Aead is null && sa.Compression is null ? "L" : "M";
            sb.Append(CultureInfo.InvariantCulture, $"{local.Minute:00}{local.Second:00} {type,-3} {state,-1} {sa.Id.Spi:x8}");
            if (sa.Current?.Added is { } added)
            {
                var age = (long)Math.Max(0, (now - added).TotalSeconds);
                var hard = sa.Lifetime.Hard.AddSeconds;
                sb.Append(age >= 1000 ? " big/" : string.Create(CultureInfo.InvariantCulture, $" {age,3}/"));
                sb.Append(hard >= 1000 ? "big" : string.Create(CultureInfo.InvariantCulture, $"{hard,-3}"));
            }
            else
            {
                sb.Append(" ???/???");
            }
            sb.Append(CultureInfo.InvariantCulture, $" {sa.Id.Source} -> {sa.Id.Destination}\n");
        }
        return sb.ToString();
    }
}
