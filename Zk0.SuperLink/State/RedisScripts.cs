namespace Zk0.SuperLink.State;

/// <summary>Lua scripts for the few updates that must be atomic (Garnet and redis-server both run them).</summary>
internal static class RedisScripts
{
    /// <summary>KEYS: run hash, active-runs set. ARGV: state, message, finished ms (0 = not terminal), run id. Returns -1 unknown, 0 already ended, 1 set.</summary>
    public const string SetRunState = """
        local s = redis.call('HGET', KEYS[1], 'state')
        if not s then return -1 end
        if s == 'Completed' or s == 'Failed' or s == 'Stopped' then return 0 end
        redis.call('HSET', KEYS[1], 'state', ARGV[1], 'message', ARGV[2])
        if ARGV[3] ~= '0' then
          redis.call('HSET', KEYS[1], 'finished', ARGV[3])
          redis.call('SREM', KEYS[2], ARGV[4])
        end
        return 1
        """;

    /// <summary>KEYS: node record, leases sorted set. ARGV: node json, node id, lease expiry ms, most nodes kept. Returns 0 when full, 1 registered.</summary>
    public const string RegisterNode = """
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: node record, leases sorted set, node queue. ARGV: node id, cutoff ms. Deletes the node when its lease still
    /// expired before the cutoff (it may have renewed since it was listed). Returns 1 forgotten, 0 kept.
    /// </summary>
    public const string ForgetNode = """
        local expires = redis.call('ZSCORE', KEYS[2], ARGV[1])
        if not expires or tonumber(expires) >= tonumber(ARGV[2]) then return 0 end
        redis.call('DEL', KEYS[1], KEYS[3])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 1
        """;

    /// <summary>KEYS: node record, leases sorted set. ARGV: node id, lease expiry ms. Returns 0 for an unknown node, 1 renewed.</summary>
    public const string RenewLease = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
        return 1
        """;

    /// <summary>KEYS: task hash, round results list. ARGV: result json. Returns 0 unknown task, 2 already reported, 1 recorded.</summary>
    public const string RecordResult = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if redis.call('HSETNX', KEYS[1], 'result', ARGV[1]) == 0 then return 2 end
        redis.call('RPUSH', KEYS[2], ARGV[1])
        return 1
        """;

    /// <summary>KEYS: evaluation key, run events list. ARGV: evaluation json, event json. Returns 0 already evaluated, 1 recorded.</summary>
    public const string RecordEvaluation = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('RPUSH', KEYS[2], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: leadership key. ARGV: owner, lease ms. Returns 1 when the owner holds the lease.</summary>
    public const string AcquireLeadership = """
        local v = redis.call('GET', KEYS[1])
        if not v then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        if v == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return 0
        """;

    /// <summary>KEYS: leadership key. ARGV: owner.</summary>
    public const string ReleaseLeadership = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;
}
