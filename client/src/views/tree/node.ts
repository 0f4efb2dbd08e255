// The tree's rows as plain data: each section of the tree (config, server,
// simulation, and those that come) is a function from what the host knows to
// a Node, in a module of its own; UpgradeTree only turns Nodes into TreeItems.
import type * as vscode from 'vscode';

// Every node has an id that changes when the node turns from a leaf into a
// parent (server started, first simulation): VS Code then inserts a new row
// instead of updating one, which it sometimes rendered stale.
export type Node = {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  children?: () => Node[];
  contextValue?: string;
  command?: vscode.Command;
  collapsed?: boolean;
};

export { plural } from '../../../../server/src/views/plural';
