namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The outcome of a wire reader: a value or a <see cref="WireError"/>. Readers never throw on
/// any input; <see cref="Value"/> throws only when a caller ignores a failed result (a bug).
/// </summary>
public readonly struct WireResult<T>
{
    private readonly T? value;
    private readonly WireError error;

    private WireResult(T value)
    {
        this.value = value;
        error = default;
        IsOk = true;
    }

    private WireResult(WireError error)
    {
        value = default;
        this.error = error;
        IsOk = false;
    }

    public bool IsOk { get; }

    public T Value => IsOk ? value! : throw new InvalidOperationException($"no value: {error}");

    public WireError Error => IsOk ? throw new InvalidOperationException("the read succeeded") : error;

    public bool TryGetValue(out T value, out WireError error)
    {
        value = this.value!;
        error = this.error;
        return IsOk;
    }

    public static WireResult<T> Ok(T value) => new(value);

    public static WireResult<T> Fail(WireError error) => new(error);

    public static implicit operator WireResult<T>(WireError error) => new(error);

    public override string ToString() => IsOk ? $"Ok({value})" : $"Error({error})";
}
