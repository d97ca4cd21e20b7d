using System.Collections;
using System.Net;
using System.Reflection;
using System.Text;
using KernelIpsec.Setkey.Binding;
using KernelIpsec.Setkey.Names;
using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Tests.Setkey.Respacing;

/// <summary>
/// What a script comes to without a kernel: the bound kernel commands, written out field by field
/// without their source positions, and every problem (syntax or binding) with its line and column.
/// </summary>
public sealed record ScriptOutcome(string Commands, IReadOnlyList<string> Problems)
{
    public static BindingOptions Options { get; } = new(true, ProtocolNames.BuiltIn, ServiceNames.Parse("isakmp 500/udp\nssh 22/tcp\n"), new NoHosts());

    /// <summary>
    /// Parses and binds <paramref name="text"/>; problem positions are passed through
    /// <paramref name="position"/> (offset in <paramref name="text"/> to the offset to report).
    /// </summary>
    public static ScriptOutcome Of(string text, Func<int, int> position, string reportedText)
    {
        var parsed = SetkeyScriptParser.Parse(text, "t.conf");
        var bound = new ScriptBinder(Options).Bind(parsed.Commands);
        var commands = new StringBuilder();
        foreach (var command in bound.Commands)
        {
            Write(commands, command, 0);
            commands.Append('\n');
        }
        var problems = parsed.Errors.Concat(bound.Errors)
            .Select(e => $"{LineColumn(reportedText, position(Offset(text, e.Position)))}: {e.Problem} at `{e.Near}' expected {e.Expected}")
            .ToList();
        return new ScriptOutcome(commands.ToString(), problems);
    }

    private static int Offset(string text, SourcePosition position)
    {
        var offset = 0;
        for (var line = 1; line < position.Line; line++)
            offset = text.IndexOf('\n', offset) + 1;
        return offset + position.Column - 1;
    }

    private static string LineColumn(string text, int offset)
    {
        var line = 1 + text.AsSpan(0, offset).Count('\n');
        var lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        return $"{line}:{offset - lineStart + 1}";
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The test assembly is never trimmed.")]
    private static void Write(StringBuilder s, object? value, int depth)
    {
        switch (value)
        {
            case null:
                s.Append("null");
                return;
            case ReadOnlyMemory<byte> memory:
                s.Append(Convert.ToHexString(memory.Span));
                return;
            case byte[] bytes:
                s.Append(Convert.ToHexString(bytes));
                return;
            case string or IPAddress or Enum:
                s.Append(value);
                return;
        }
        var type = value.GetType();
        if (type.IsPrimitive || depth > 12)
        {
            s.Append(value);
            return;
        }
        if (value is IEnumerable items)
        {
            s.Append('[');
            foreach (var item in items)
            {
                Write(s, item, depth + 1);
                s.Append(", ");
            }
            s.Append(']');
            return;
        }
        if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
        {
            s.Append(value);
            return;
        }
        s.Append(type.Name).Append('{');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.PropertyType == typeof(SourcePosition) || property.Name == "EqualityContract")
                continue;
            s.Append(property.Name).Append('=');
            Write(s, property.GetValue(value), depth + 1);
            s.Append(' ');
        }
        s.Append('}');
    }

    private sealed class NoHosts : IHostResolver
    {
        public IReadOnlyList<IPAddress> Resolve(string host) =>
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
    }
}
