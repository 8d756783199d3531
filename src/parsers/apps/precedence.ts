/**
 * Folds `a op b op c ...` by operator precedence, for the small expression readers of the app
 * settings (JavaScript, Python): `60 + 2 * 3` is 66, not 186. `**` groups to the right, the rest
 * to the left. Operators a reader does not evaluate still take their place, so the arithmetic
 * around them groups as the language groups it.
 */
export function foldByPrecedence<V>(operands: V[], ops: string[], precedence: (op: string) => number, combine: (op: string, left: V, right: V) => V): V {
  const values = [...operands];
  const operators = [...ops];
  const levels = [...new Set(operators.map(precedence))].sort((a, b) => b - a);
  for (const level of levels) {
    const rightToLeft = operators.some((op) => op === '**' && precedence(op) === level);
    if (rightToLeft) {
      for (let k = operators.length - 1; k >= 0; k--) {
        if (precedence(operators[k]) !== level) continue;
        values.splice(k, 2, combine(operators[k], values[k], values[k + 1]));
        operators.splice(k, 1);
      }
    } else {
      for (let k = 0; k < operators.length; ) {
        if (precedence(operators[k]) !== level) {
          k++;
          continue;
        }
        values.splice(k, 2, combine(operators[k], values[k], values[k + 1]));
        operators.splice(k, 1);
      }
    }
  }
  return values[0];
}

/** JavaScript's binary operator precedence (MDN, "Operator precedence"). */
export function jsPrecedence(op: string): number {
  switch (op) {
    case '||': case '??': return 1;
    case '&&': return 2;
    case '|': return 3;
    case '^': return 4;
    case '&': return 5;
    case '==': case '!=': case '===': case '!==': return 6;
    case '<': case '>': case '<=': case '>=': case 'instanceof': case 'in': return 7;
    case '<<': case '>>': case '>>>': return 8;
    case '+': case '-': return 9;
    case '*': case '/': case '%': return 10;
    case '**': return 11;
    default: return 0;
  }
}

/** Python's binary operator precedence (The Python Language Reference, 6.17). `or` is read apart. */
export function pyPrecedence(op: string): number {
  switch (op) {
    case 'and': return 1;
    case 'not': return 2;
    case 'in': case 'is': case '<': case '>': case '<=': case '>=': case '==': case '!=': return 3;
    case '|': return 4;
    case '^': return 5;
    case '&': return 6;
    case '<<': case '>>': return 7;
    case '+': case '-': return 8;
    case '*': case '/': case '//': case '%': case '@': return 9;
    case '**': return 10;
    default: return 3; // `not in`, `is not`
  }
}
