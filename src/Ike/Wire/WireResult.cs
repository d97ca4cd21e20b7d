namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The outcome of a wire reader: a value or a <see cref="WireError"/>. Readers never throw on
/// any input; <see cref="Value"/> throws only when a caller ignores a failed result (a bug).
/// </summary>
public readonly struct WireResult<T>
{
    private readonly T? _value;
    private readonly WireError _error;

    private WireResult(T value)
    {
        _value = value;
        _error = default;
        IsOk = true;
    }

    private WireResult(WireError error)
    {
        _value = default;
        _error = error;
        IsOk = false;
    }

    public bool IsOk { get; }

    public T Value => IsOk ? _value! : throw new InvalidOperationException($"no value: {_error}");

    public WireError Error => IsOk ? throw new InvalidOperationException("the read succeeded") : _error;

    public bool TryGetValue(out T value, out WireError error)
    {
        value = _value!;
        error = _error;
        return IsOk;
    }

    public static WireResult<T> Ok(T value) => new(value);

    public static WireResult<T> Fail(WireError error) => new(error);

    public static implicit operator WireResult<T>(WireError error) => new(error);

    public override string ToString() => IsOk ? $"Ok({_value})" : $"Error({_error})";
}
