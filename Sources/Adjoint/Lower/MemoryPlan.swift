/// Storage decisions and the memory plan: which values stay in C locals, which need memory,
/// and where in the one caller-supplied workspace each buffer lives. Buffers whose lifetimes do
/// not overlap share workspace, so a long chain of vector ops needs a few vectors, not one per node.
extension LoopProgram {
    mutating func assignStorage() {
        var dataIndex: [Int: Int] = [:]
        let isOutput = Set(outputs)
        for index in 0..<graph.count {
            let id = NodeID(index)
            let node = graph[id]
            switch roles[index] {
            case .dead: storage[index] = .none
            case .leaf:
                switch node.op.leaf {
                case .input(let i): storage[index] = .input(i)
                case .constant(let value): storage[index] = .literal(value)
                case .data(let d):
                    if dataIndex[d] == nil { dataIndex[d] = dataArrays.count; dataArrays.append(d) }
                    storage[index] = .data(dataIndex[d]!)
                case .capture, nil: preconditionFailure("a compiled graph has no captures")
                }
            case .scalar: storage[index] = .scalar
            case .alias: storage[index] = .alias(node.operands[0])
            case .routine:
                // A tuple's results live in its projections' memory.
                storage[index] = node.rule.results > 1 ? .none : node.count == 1 ? .scalar : .buffer(offset: -1)
            case .result: storage[index] = node.count == 1 ? .scalar : .buffer(offset: -1)
            case .member(let loop):
                let local = !isReduction(id) && !isOutput.contains(id) && users[id].allSatisfy { user in
                    roles[user.int] == .member(loop: loop) && readsDirectly(user, id)
                }
                storage[index] = local ? .loopLocal : node.count == 1 ? .scalar : .buffer(offset: -1)
            }
        }
        placeOutputs()
    }

    /// Outputs computed into buffers are written in place; the rest are copied at the end. Behind
    /// guards every output is copied at the end, so a failed guard leaves the outputs untouched.
    private mutating func placeOutputs() {
        for (j, output) in outputs.enumerated() {
            let r = root(output)
            if guards.isEmpty, case .buffer = storage[r.int] {
                storage[r.int] = .output(j)
            } else {
                steps.append(.copy(output: j, output))
            }
        }
    }

    mutating func planMemory() {
        // A rerolled run's values live in its tapes (placed after the plan, Reroll.swift).
        let buffers = (0..<graph.count).filter { storage[$0] == .buffer(offset: -1) && (rerolls.isEmpty || rerollIndex.run[$0] < 0) }
        let calls = scratchRequests()
        guard !buffers.isEmpty || !calls.isEmpty else { return }  // straight-line scalar code lives in C locals
        let lastUse = lastUses()
        // Buffers, and each call's scratch (live only while it runs), in the order they are written.
        let requests = (buffers.map { (index: $0, size: graph[NodeID($0)].count, scratch: false) }
            + calls.map { (index: $0.index, size: $0.size, scratch: true) })
            .sorted { times[$0.index] < times[$1.index] }
        // Best fit among the free blocks (the smallest that holds the request, split if larger),
        // by size; the active blocks in a heap by last use. Both stay fast with tens of thousands
        // of buffers (the LSTM's gradient has 40,000 of 14 elements).
        var free = FreeBlocks()
        var active = Heap()
        for request in requests {
            let (index, size) = (request.index, request.size)
            // Release buffers whose last read is strictly before this one is written.
            while let first = active.first, first.last < times[index] {
                active.removeFirst()
                free.insert(offset: first.offset, size: first.size)
            }
            let offset: Int
            if let block = free.takeBestFit(size) {
                offset = block
            } else {
                offset = workspaceCount
                workspaceCount += size
            }
            if request.scratch {
                scratch[NodeID(index)] = offset
            } else {
                storage[index] = .buffer(offset: offset)
            }
            active.insert((request.scratch ? times[index] : lastUse[index], offset, size))
        }
    }

    /// The routine calls that ask for scratch memory, and how much.
    private func scratchRequests() -> [(index: Int, size: Int)] {
        (0..<graph.count).compactMap { index in
            guard roles[index] == .routine, case .routine(let call) = graph[NodeID(index)].rule.lowering else { return nil }
            let node = graph[NodeID(index)]
            let size = call.workspace(node.op, node.operands.map { graph.shape($0) },
                                      node.operands.map { routineSource($0).transposed })
            return size > 0 ? (index, size) : nil
        }
    }

    /// The last time each node's memory is read; an alias's readers read its operand's memory.
    private func lastUses() -> [Int] {
        var lastUse = [Int](repeating: -1, count: graph.count)
        for output in outputs { lastUse[output.int] = Int.max }
        for index in stride(from: graph.count - 1, through: 0, by: -1) where roles[index] != .dead {
            // Memory is live from when it is written: a result nothing reads (a routine's
            // other result) must not share memory with what the same call writes or reads.
            lastUse[index] = Swift.max(lastUse[index], times[index])
            if lastUse[index] != Int.max {
                for user in users[NodeID(index)] { lastUse[index] = Swift.max(lastUse[index], times[user.int]) }
            }
            if roles[index] == .alias {
                let operand = graph[NodeID(index)].operands[0].int
                lastUse[operand] = Swift.max(lastUse[operand], lastUse[index])
            }
            // A scalar statement read once may be folded into its reader's expression by the
            // emitter (CEmitter.foldedValues), so its operands are read when that reader runs,
            // possibly at a later time than its own: keep them alive until then.
            if roles[index] == .scalar, lastUse[index] != Int.max, users[NodeID(index)].count == 1 {
                for operand in reads(NodeID(index)) {
                    lastUse[operand.int] = Swift.max(lastUse[operand.int], lastUse[index])
                }
            }
        }
        return lastUse
    }

    /// Orders the work: at each time the scalar statements (each guard checked as soon as its
    /// condition is known), then the loops, then the routine calls; output copies last.
    mutating func schedule() {
        let copies = steps
        steps = []
        let maxTime = times.max() ?? 0
        var checksAt = [Int: [Int]]()
        var checksAfter = [NodeID: [Int]]()
        for (k, g) in guards.enumerated() {
            switch roles[g.condition.int] {
            case .scalar: checksAfter[g.condition, default: []].append(k)
            case .leaf, .dead: checksAt[0, default: []].append(k)
            case .member, .routine, .result, .alias: checksAt[times[g.condition.int] + 1, default: []].append(k)
            }
        }
        // Scalars by time, in node order within a time: a counting sort (a chain of 100k scalars
        // has 100k times, too many to give each an array).
        var firstScalar = [Int](repeating: 0, count: maxTime + 3)
        for index in 0..<graph.count where roles[index] == .scalar { firstScalar[times[index] + 1] += 1 }
        for t in 0...(maxTime + 1) { firstScalar[t + 1] += firstScalar[t] }
        var scalars = [NodeID](repeating: NodeID(0), count: firstScalar[maxTime + 2])
        var next = firstScalar
        var callsAt = [[NodeID]](repeating: [], count: maxTime + 2)
        var loopsAt = [[Int]](repeating: [], count: maxTime + 2)
        for index in 0..<graph.count {
            if roles[index] == .scalar { scalars[next[times[index]]] = NodeID(index); next[times[index]] += 1 }
            if roles[index] == .routine { callsAt[times[index]].append(NodeID(index)) }
        }
        for (l, loop) in loops.enumerated() { loopsAt[loop.time].append(l) }
        // A row pass takes its loop's place, with its products and accumulations inside.
        var passOf: [Int: Int] = [:]
        var inPass = Set<NodeID>()
        for (k, pass) in rowPasses.enumerated() {
            passOf[pass.loop] = k
            inPass.formUnion(pass.products + pass.accumulations)
        }
        steps.reserveCapacity(scalars.count + guards.count + copies.count)
        for t in 0...(maxTime + 1) {
            if !checksAt.isEmpty, let checks = checksAt[t] {
                for k in checks { steps.append(.check(guardIndex: k)) }
            }
            for id in scalars[firstScalar[t]..<firstScalar[t + 1]] {
                steps.append(.scalar(id))
                if !checksAfter.isEmpty, let checks = checksAfter[id] {
                    for k in checks { steps.append(.check(guardIndex: k)) }
                }
            }
            for l in loopsAt[t] { steps.append(passOf[l].map { .rowPass($0) } ?? .loop(l)) }
            for id in callsAt[t] where inPass.isEmpty || !inPass.contains(id) { steps.append(.call(id)) }
        }
        steps += copies
    }
}

/// The memory plan's free blocks: for each size, the offsets of the free blocks of that size
/// (the last freed first), and the sizes that have any, sorted.
private struct FreeBlocks {
    private var offsets: [Int: [Int]] = [:]
    private var sizes: [Int] = []

    mutating func insert(offset: Int, size: Int) {
        if offsets[size, default: []].isEmpty { sizes.insert(size, at: firstSize(atLeast: size)) }
        offsets[size, default: []].append(offset)
    }

    /// The offset of the smallest free block of at least `size` elements, taken (what it has
    /// beyond `size` stays free), or nil if none is large enough.
    mutating func takeBestFit(_ size: Int) -> Int? {
        let k = firstSize(atLeast: size)
        guard k < sizes.count else { return nil }
        let found = sizes[k]
        let offset = offsets[found]!.removeLast()
        if offsets[found]!.isEmpty { sizes.remove(at: k) }
        if found > size { insert(offset: offset + size, size: found - size) }
        return offset
    }

    private func firstSize(atLeast size: Int) -> Int {
        var (low, high) = (0, sizes.count)
        while low < high {
            let mid = (low + high) / 2
            if sizes[mid] < size { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// The memory plan's active blocks, a binary min-heap by last use.
private struct Heap {
    typealias Entry = (last: Int, offset: Int, size: Int)
    private var entries: [Entry] = []

    var first: Entry? { entries.first }

    mutating func insert(_ entry: Entry) {
        entries.append(entry)
        var i = entries.count - 1
        while i > 0, entries[(i - 1) / 2].last > entries[i].last {
            entries.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    mutating func removeFirst() {
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var i = 0
        while true {
            let (l, r) = (2 * i + 1, 2 * i + 2)
            var smallest = i
            if l < entries.count, entries[l].last < entries[smallest].last { smallest = l }
            if r < entries.count, entries[r].last < entries[smallest].last { smallest = r }
            if smallest == i { return }
            entries.swapAt(i, smallest)
            i = smallest
        }
    }
}
