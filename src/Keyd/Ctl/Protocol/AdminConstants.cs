namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>racoon's admin.h command codes (<c>ac_cmd</c>).</summary>
internal static class AdminCommand
{
    public const ushort ReloadConf = 0x0001;
    public const ushort ShowSchedule = 0x0002;
    public const ushort ShowEvent = 0x0003;
    public const ushort ShowSa = 0x0101;
    public const ushort FlushSa = 0x0102;
    public const ushort DeleteSa = 0x0201;
    public const ushort EstablishSa = 0x0202;
    public const ushort EstablishSaPsk = 0x0203;
    public const ushort DeleteAllSaDst = 0x0204;
    public const ushort LogoutUser = 0x0205;
    public const ushort GetSaCert = 0x0206;

    /// <summary>In requests: <c>ac_version</c> is valid (racoonctl always sets it, version 1).</summary>
    public const ushort FlagVersion = 0x8000;

    /// <summary>In replies: the payload is longer than 65535 bytes and <c>ac_len_high</c> holds the upper bits.</summary>
    public const ushort FlagLongReply = 0x8000;
}

/// <summary>racoon's admin.h protocol codes (<c>ac_proto</c>).</summary>
internal static class AdminProto
{
    public const ushort Isakmp = 0x01ff;
    public const ushort Ipsec = 0x02ff;
    public const ushort Ah = 0x0201;
    public const ushort Esp = 0x0202;
    public const ushort Internal = 0x0301;

    public static string? Name(ushort proto) => proto switch
    {
        Isakmp => "isakmp",
        Ipsec => "ipsec",
        Ah => "ah",
        Esp => "esp",
        Internal => "internal",
        _ => null,
    };

    public static ushort? FromName(string name) => name switch
    {
        "isakmp" => Isakmp,
        "ipsec" => Ipsec,
        "ah" => Ah,
        "esp" => Esp,
        "internal" => Internal,
        _ => null,
    };
}

/// <summary>The Linux errno values racoon puts in <c>ac_errno</c>, with their strerror text.</summary>
internal static class AdminErrno
{
    public const short None = 0;
    public const short ENOENT = 2;
    public const short EIO = 5;
    public const short ENOMEM = 12;
    public const short EEXIST = 17;
    public const short EINVAL = 22;
    public const short ENOTSUP = 95;

    public static string Describe(int errno) => errno switch
    {
        ENOENT => "No such file or directory",
        EIO => "Input/output error",
        ENOMEM => "Cannot allocate memory",
        EEXIST => "File exists",
        EINVAL => "Invalid argument",
        ENOTSUP => "Operation not supported",
        -1 => "Unknown error -1",
        _ => $"Unknown error {errno}",
    };
}
