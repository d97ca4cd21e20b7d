using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Reflection;
using System.Text;
using KernelIpsec.Ike.Config;

namespace KernelIpsec.Tests.Config;

/// <summary>
/// Every public property of a parsed configuration, recursively, as text; each <see cref="SourceLocation"/>
/// goes through a caller's function (so two layouts of one file compare equal when their locations name
/// the same token).
/// </summary>
internal static class ModelFingerprint
{
    public static string Of(object? model, Func<SourceLocation, string> location)
    {
        var text = new StringBuilder();
        Write(model, location, text, 0);
        return text.ToString();
    }

    /// <summary>A memo of reflection results only (the same for every caller).</summary>
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The test assembly is not trimmed; the model's records keep their properties.")]
    private static PropertyInfo[] Readable(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .OrderBy(p => p.Name, StringComparer.Ordinal)];

    private static void Write(object? value, Func<SourceLocation, string> location, StringBuilder o, int depth)
    {
        if (depth > 12)
        {
            o.Append("...");
            return;
        }
        switch (value)
        {
            case null:
                o.Append("null");
                return;
            case SourceLocation at:
                o.Append('@').Append(location(at));
                return;
            case string s:
                o.Append('"').Append(s).Append('"');
                return;
            case IPAddress a:
                o.Append(a);
                return;
            case byte[] bytes:
                o.Append(Convert.ToHexString(bytes));
                return;
            case Enum or TimeSpan or bool or char or IFormattable:
                o.Append(value);
                return;
            case IEnumerable items:
                o.Append('[');
                foreach (var item in items)
                {
                    Write(item, location, o, depth + 1);
                    o.Append(", ");
                }
                o.Append(']');
                return;
        }
        var type = value.GetType();
        o.Append(type.Name).Append(" { ");
        foreach (var p in Properties.GetOrAdd(type, Readable))
        {
            o.Append(p.Name).Append(" = ");
            object? v;
            try
            {
                v = p.GetValue(value);
            }
            catch (TargetInvocationException e)
            {
                o.Append("throws ").Append(e.InnerException?.GetType().Name).Append("; ");
                continue;
            }
            Write(v, location, o, depth + 1);
            o.Append("; ");
        }
        o.Append('}');
    }
}
