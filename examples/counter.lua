-- counter.lua - the Lua module of examples/udf_example.c.

-- Add `by` to bin `bin`, creating the record if needed; returns the new value.
function incr(rec, bin, by)
    rec[bin] = (rec[bin] or 0) + by
    if aerospike:exists(rec) then
        aerospike:update(rec)
    else
        aerospike:create(rec)
    end
    return rec[bin]
end

-- A summary of the record as a map: its bins' names and its generation.
function describe(rec)
    local m = map()
    m['gen'] = record.gen(rec)
    -- bin_names() is a plain Lua table: copy it into a list to return it
    local names = list()
    for _, name in ipairs(record.bin_names(rec)) do
        list.append(names, name)
    end
    m['bins'] = names
    return m
end

-- Refuse values over a limit, with an error message the caller sees.
function check(rec, bin, limit)
    local v = rec[bin] or 0
    if v > limit then
        error(bin .. ' is ' .. v .. ', over the limit of ' .. limit)
    end
    return true
end

-- Background job: reset the bin of every record it runs on.
function reset(rec, bin)
    rec[bin] = 0
    aerospike:update(rec)
end
