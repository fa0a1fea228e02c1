-- udf_test.lua - the record UDFs the udf suite calls (tests/integration/udf/test_udf.c).

-- Return the argument as it arrived (round trip of every value type).
function echo(rec, v)
    return v
end

-- How many arguments arrived, and the last one.
function count_args(rec, ...)
    local n = select('#', ...)
    return list { n, (select(n, ...)) }
end

-- Add n to bin (creating the record when it does not exist); the new value.
function add(rec, bin, n)
    if aerospike:exists(rec) then
        rec[bin] = (rec[bin] or 0) + n
        aerospike:update(rec)
    else
        rec[bin] = n
        aerospike:create(rec)
    end
    return rec[bin]
end

-- Set a bin without create or update: nothing is kept.
function set_only(rec, bin, v)
    rec[bin] = v
    return 'not kept'
end

-- aerospike:create on the record: 0 created, 1 it already exists.
function create(rec, bin, v)
    rec[bin] = v
    return aerospike:create(rec)
end

-- aerospike:update: 0, or -2 when the record does not exist.
function update(rec, bin, v)
    rec[bin] = v
    return aerospike:update(rec)
end

-- aerospike:remove: 0 removed, 1 there was no record.
function remove(rec)
    return aerospike:remove(rec)
end

-- Record metadata as a map: exists, gen, numbins, setname.
function meta(rec)
    local m = map()
    m['exists'] = aerospike:exists(rec)
    m['gen'] = record.gen(rec)
    m['numbins'] = record.numbins(rec)
    m['setname'] = record.setname(rec)
    return m
end

-- Append v to the list bin `l` and put k = v in the map bin `m`; returns the list size.
function push(rec, k, v)
    local l = rec['l'] or list()
    list.append(l, v)
    rec['l'] = l
    local m = rec['m'] or map()
    m[k] = v
    rec['m'] = m
    if aerospike:exists(rec) then aerospike:update(rec) else aerospike:create(rec) end
    return list.size(l)
end

-- Sum the integers of a list argument, and count the entries of a map argument.
function collections(rec, l, m)
    local sum = 0
    for _, v in ipairs(l) do sum = sum + v end
    local n = 0
    for _ in map.pairs(m) do n = n + 1 end
    return list { sum, n, map.size(m), list.size(l) }
end

-- Fail with a message.
function boom(rec, what)
    error('boom: ' .. tostring(what))
end

-- Multiply bin by factor (background UDF: every record of a query).
function scale(rec, bin, factor)
    if rec[bin] then
        rec[bin] = rec[bin] * factor
        aerospike:update(rec)
    end
end
