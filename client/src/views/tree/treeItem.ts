// A Node as VS Code draws it: one place for both trees (Upgrades and What If).
import * as vscode from 'vscode';
import type { Node } from './node';

/** A parent row is expanded unless `collapsed` (the node's own wish by default). */
export function treeItemOf(n: Node, collapsed = n.collapsed === true): vscode.TreeItem {
  const state = !n.children ? vscode.TreeItemCollapsibleState.None : collapsed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
  const item = new vscode.TreeItem(n.label, state);
  item.id = n.id;
  item.description = n.description;
  item.tooltip = n.tooltip;
  if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon);
  item.contextValue = n.contextValue;
  item.command = n.command;
  return item;
}
