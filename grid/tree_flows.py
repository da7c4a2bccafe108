"""Tree networks: topology rooted at the balancing unit, mass flows from nodal withdrawals.

On a tree every pipe's mass flow follows from mass conservation alone: the flow from a parent
node to a child node equals the net withdrawal of the child's whole subtree. With the nodal
withdrawals of all hours as one array ``D`` (hours x nodes), the flows of all pipes in all
hours are one matrix product ``D @ S`` with the 0/1 subtree matrix ``S``.

Conventions: nodes are indexed in the order of :attr:`grid.network.ThermalNetwork.node_ids`;
arrays "per child node" have one column per node, where column ``c`` describes the pipe
between ``c`` and its parent (the root's column is unused and zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["TreeTopology", "is_tree", "tree_topology"]


@dataclass(frozen=True)
class TreeTopology:
    """A tree network rooted at the balancing unit.

    Attributes
    ----------
    node_ids
        Node ids; position = node index.
    root
        Index of the root node (the balancing unit).
    parent
        Parent node index per node [-]; -1 for the root.
    parent_edge
        Row of the edge table that joins a node to its parent; -1 for the root.
    edge_child
        Child node index per edge row.
    edge_sign
        Per edge row: +1 if its ``from_id`` is the parent (flow from parent to child runs
        from ``from_id`` to ``to_id``), -1 otherwise.
    preorder
        Node indices, every parent before its children (breadth first from the root).
    subtree
        ``subtree[n, c] = 1`` if node ``n`` lies in the subtree of ``c`` (``c`` included);
        shape (nodes, nodes), float.

    """

    node_ids: tuple[str, ...]
    root: int
    parent: np.ndarray
    parent_edge: np.ndarray
    edge_child: np.ndarray
    edge_sign: np.ndarray
    preorder: np.ndarray
    subtree: np.ndarray

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    def downward_flows(self, withdrawal: np.ndarray) -> np.ndarray:
        """Mass flow from each node's parent into it, for all hours at once.

        Parameters
        ----------
        withdrawal
            Net mass flow taken out of the line at each node [kg/s], shape (hours, nodes).

        Returns
        -------
        numpy.ndarray
            Shape (hours, nodes): flow parent -> child [kg/s] (< 0: child -> parent); the
            root column is 0.

        """
        flows = withdrawal @ self.subtree
        flows[:, self.root] = 0.0
        return flows

    def edge_values(self, per_child: np.ndarray) -> np.ndarray:
        """Reorder a per-child-node array (hours, nodes) into edge-row order (hours, edges)."""
        return per_child[:, self.edge_child]


def _graph(edges: pd.DataFrame, node_ids: Sequence[str]) -> nx.MultiGraph:
    graph = nx.MultiGraph()
    graph.add_nodes_from(node_ids)
    for k, row in enumerate(edges.itertuples(index=False)):
        graph.add_edge(str(row.from_id), str(row.to_id), key=k)
    return graph


def is_tree(edges: pd.DataFrame, node_ids: Sequence[str]) -> bool:
    """Whether the edges form a tree (connected, no meshes) over ``node_ids``.

    Parameters
    ----------
    edges
        Columns ``from_id``, ``to_id``.
    node_ids
        All node ids.

    Returns
    -------
    bool

    """
    graph = _graph(edges, [str(n) for n in node_ids])
    return (
        graph.number_of_nodes() > 0
        and nx.is_tree(nx.Graph(graph))
        and (graph.number_of_edges() == graph.number_of_nodes() - 1)
    )


def tree_topology(edges: pd.DataFrame, *, node_ids: Sequence[str], root_id: str) -> TreeTopology:
    """Root a tree network at ``root_id``.

    Parameters
    ----------
    edges
        Edge table with columns ``from_id``, ``to_id`` (row order = edge index).
    node_ids
        All node ids (order = node index).
    root_id
        Id of the root (the balancing unit).

    Returns
    -------
    TreeTopology

    Raises
    ------
    ValueError
        If the edges do not form a tree over ``node_ids`` or the root is unknown (callers
        check :func:`is_tree` first and fall back to a meshed-network solver).

    """
    ids = [str(n) for n in node_ids]
    if str(root_id) not in ids:
        raise ValueError(f"root '{root_id}' is not a node")
    if not is_tree(edges, ids):
        raise ValueError("the network is not a tree")
    index = {nid: k for k, nid in enumerate(ids)}
    n = len(ids)
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for k, row in enumerate(edges.itertuples(index=False)):
        a, b = index[str(row.from_id)], index[str(row.to_id)]
        adjacency[a].append((b, k))
        adjacency[b].append((a, k))
    root = index[str(root_id)]
    parent = np.full(n, -1, dtype=int)
    parent_edge = np.full(n, -1, dtype=int)
    edge_child = np.zeros(len(edges), dtype=int)
    edge_sign = np.zeros(len(edges), dtype=int)
    order = [root]
    seen = {root}
    head = 0
    while head < len(order):
        node = order[head]
        head += 1
        for other, k in adjacency[node]:
            if other in seen:
                continue
            seen.add(other)
            parent[other] = node
            parent_edge[other] = k
            edge_child[k] = other
            edge_sign[k] = 1 if index[str(edges.from_id.iloc[k])] == node else -1
            order.append(other)
    subtree = np.zeros((n, n))
    for node in reversed(order):
        subtree[node, node] = 1.0
        if parent[node] >= 0:
            subtree[:, parent[node]] += subtree[:, node]
    return TreeTopology(
        node_ids=tuple(ids),
        root=root,
        parent=parent,
        parent_edge=parent_edge,
        edge_child=edge_child,
        edge_sign=edge_sign,
        preorder=np.array(order, dtype=int),
        subtree=subtree,
    )
