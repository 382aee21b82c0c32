/**
 * Whether `name` is a valid branch name by the rules of `git check-ref-format --branch`, checked here so
 * that a bad base branch is a 400 naming the field rather than a failed clone, and so that no value can
 * be read by git as an option.
 */
export function isValidBranchName(name: string): boolean {
  return name.length > 0
    && name.length <= 255
    && !name.startsWith('-')
    && name !== '@'
    && !/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)
    && !name.includes('..')
    && !name.includes('@{')
    && !name.endsWith('.')
    && name.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}
