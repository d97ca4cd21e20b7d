namespace KernelIpsec.Setkey.Cli;

/// <summary>
/// Standard input, touched only when read (-f -, -c). Asking for <see cref="Console.In"/> on a terminal sets up the
/// terminal and starts the runtime's signal thread, which `setkey -D` would otherwise pay for at every start.
/// </summary>
public sealed class LazyConsoleInput : TextReader
{
    private TextReader In => Console.In;

    public override int Peek() => In.Peek();

    public override int Read() => In.Read();

    public override int Read(char[] buffer, int index, int count) => In.Read(buffer, index, count);

    public override int Read(Span<char> buffer) => In.Read(buffer);

    public override string? ReadLine() => In.ReadLine();

    public override string ReadToEnd() => In.ReadToEnd();

    public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => In.ReadLineAsync(cancellationToken);

    public override Task<string> ReadToEndAsync(CancellationToken cancellationToken) => In.ReadToEndAsync(cancellationToken);
}
