using System.Net;
using System.Text;
using KernelIpsec.Setkey.Binding;
using KernelIpsec.Setkey.Names;
using KernelIpsec.Setkey.Parsing;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>A setkey script (setkey -f, -c): the parser, then the binder that turns it into kernel commands (no kernel).</summary>
public sealed class SetkeyScriptTarget : IFuzzTarget
{
    private static readonly ScriptBinder Binder = new(new BindingOptions(true, ProtocolNames.BuiltIn, ServiceNames.Empty, new NumericOnly()));

    public string Name => "setkey";

    public void Run(ReadOnlySpan<byte> input)
    {
        ParsedScript parsed;
        try
        {
            parsed = SetkeyScriptParser.Parse(Encoding.UTF8.GetString(input), "fuzz.conf");
        }
        catch (SetkeyScriptException)
        {
            return;
        }
        var bound = Binder.Bind(parsed.Commands);
        foreach (var e in parsed.Errors.Concat(bound.Errors))
        {
            _ = e.Message;
        }
    }

    /// <summary>Host names resolve to nothing: the fuzzer must not send DNS queries.</summary>
    private sealed class NumericOnly : IHostResolver
    {
        public IReadOnlyList<IPAddress> Resolve(string host) => IPAddress.TryParse(host, out var a) ? [a] : [];
    }
}
