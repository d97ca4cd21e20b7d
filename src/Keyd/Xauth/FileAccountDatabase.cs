using System.Globalization;

namespace KernelIpsec.Keyd.Xauth;

/// <summary>
/// passwd(5), shadow(5) and group(5) files read on every lookup (as NSS's files module does, so edits apply at
/// once). The first entry of a name wins, as getpwnam's.
/// </summary>
public sealed class FileAccountDatabase(string passwdPath, string shadowPath, string groupPath) : IAccountDatabase
{
    public Account? FindUser(string name)
    {
        var shadow = Find(shadowPath, name);
        var passwd = Find(passwdPath, name);
        if (shadow is null || passwd is null || passwd.Length < 3 || shadow.Length < 2)
            return null;
        if (!uint.TryParse(passwd[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            return null;
        return new Account(name, uid, shadow[1]);
    }

    public IReadOnlyList<string>? GroupMembers(string group)
    {
        var fields = Find(groupPath, group);
        if (fields is null || fields.Length < 4)
            return null;
        return fields[3].Length == 0 ? [] : fields[3].Split(',');
    }

    private static string[]? Find(string path, string name)
    {
        if (name.Length == 0 || name.Contains(':') || !File.Exists(path))
            return null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = line.Split(':');
            if (fields[0] == name)
                return fields;
        }
        return null;
    }
}
