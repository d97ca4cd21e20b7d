using KernelIpsec.Fuzz;
using SharpFuzz;

// KernelIpsec.Fuzz TARGET           : under afl-fuzz (run.sh, instrumented), one input per round from SharpFuzz
// KernelIpsec.Fuzz TARGET FILE...   : runs the given inputs once, uninstrumented (`dotnet run --project
//                                     tests/KernelIpsec.Fuzz -- TARGET FILE`): a crash's stack trace
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: KernelIpsec.Fuzz TARGET [FILE...]; targets: {string.Join(' ', FuzzTargets.Names)}");
    return 2;
}

var name = args[0];
if (args.Length > 1)
{
    var target = FuzzTargets.Create(name);
    foreach (var file in args[1..])
    {
        target.Run(File.ReadAllBytes(file));
        Console.WriteLine($"{file}: ok");
    }
    return 0;
}

// Out of process: SharpFuzz restarts the child after a crash, and a stack overflow is reported, not fatal to the run.
IFuzzTarget? fuzzed = null;
Fuzzer.OutOfProcess.Run(stream =>
{
    fuzzed ??= FuzzTargets.Create(name);
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    fuzzed.Run(buffer.ToArray());
});
return 0;
