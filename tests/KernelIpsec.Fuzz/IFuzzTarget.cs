namespace KernelIpsec.Fuzz;

/// <summary>
/// One reader of outside bytes, as the fuzzer drives it. <see cref="Run"/> returns for accepted input and for the
/// rejections the code is designed to give (the reader's own parse exception, caught here); any other exception
/// escaping it (IndexOutOfRange, NullReference, InvalidCast, an engine's "internal error") is a finding.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name run.sh and the corpus folders use.</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);
}
