using KernelIpsec.Fuzz.Targets;

namespace KernelIpsec.Fuzz;

/// <summary>
/// Every target, by name; the corpus of each lives in corpus/NAME, its crash regressions in regressions/NAME.
/// Targets are created only on demand: under afl-fuzz, instrumented code must not run before SharpFuzz has
/// mapped the coverage memory.
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } =
        ["isakmp", "encrypted", "fragments", "setkey", "racoon-conf", "psk", "xfrm", "pfkey", "admin"];

    public static IFuzzTarget Create(string name) => name switch
    {
        "isakmp" => new IsakmpMessageTarget(),
        "encrypted" => new EncryptedChainTarget(),
        "fragments" => new IkeFragmentTarget(),
        "setkey" => new SetkeyScriptTarget(),
        "racoon-conf" => new RacoonConfTarget(),
        "psk" => new PskFileTarget(),
        "xfrm" => new XfrmReplyTarget(),
        "pfkey" => new PfKeyReplyTarget(),
        "admin" => new AdminRequestTarget(),
        _ => throw new ArgumentException($"no fuzz target {name}", nameof(name)),
    };
}
