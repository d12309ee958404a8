namespace Zk0.Cli.Compare.Statistics;

/// <summary>The two-sided 95 % quantile t(0.975, dof) of Student's t distribution.</summary>
public static class StudentT
{
    // t(0.975, dof) for dof 1..30, from the standard tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
    private static readonly double[] Table =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    private const double NormalQuantile975 = 1.959963984540054;

    public static double Quantile975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= Table.Length) return Table[degreesOfFreedom - 1];
        // Beyond the table: the Cornish-Fisher expansion around the normal quantile (error below 1e-4 for dof > 30).
        var z = NormalQuantile975;
        double v = degreesOfFreedom, z3 = z * z * z, z5 = z3 * z * z;
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v);
    }
}
