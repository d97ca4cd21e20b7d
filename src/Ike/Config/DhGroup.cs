namespace KernelIpsec.Ike.Config;

/// <summary>MODP groups racoon can use (`dh_group`, `pfs_group`); values are the IANA group numbers.</summary>
public enum DhGroup
{
    Modp768 = 1,
    Modp1024 = 2,
    Ec2nGp155 = 3,
    Ec2nGp185 = 4,
    Modp1536 = 5,
    Modp2048 = 14,
    Modp3072 = 15,
    Modp4096 = 16,
    Modp6144 = 17,
    Modp8192 = 18,
}
