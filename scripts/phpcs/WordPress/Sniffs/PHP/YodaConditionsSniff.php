<?php
/**
 * Stand-in for WPCS's WordPress.PHP.YodaConditions (see phpcs.xml.dist for why).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Lint\WordPress\Sniffs\PHP;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;
use PHP_CodeSniffer\Util\Tokens;

/**
 * Reports `$variable === 'value'` (WordPress.PHP.YodaConditions.NotYoda): WordPress puts the
 * constant first, `'value' === $variable`, so that a typo `=` for `==` cannot assign. Same
 * rule as WPCS: the comparison needs the Yoda order when a variable (or array element, or
 * property) stands right before the operator and no variable right after it.
 */
final class YodaConditionsSniff implements Sniff {

	/**
	 * Tokens listened to.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_IS_EQUAL, T_IS_NOT_EQUAL, T_IS_IDENTICAL, T_IS_NOT_IDENTICAL );
	}

	/**
	 * Reports a comparison with a variable on the left and none on the right.
	 *
	 * @param File $phpcs_file File.
	 * @param int  $ptr        Position of the operator.
	 */
	public function process( File $phpcs_file, $ptr ) {
		$tokens = $phpcs_file->getTokens();

		// Left operand, read backwards to where the expression starts.
		$stops      = Tokens::$booleanOperators + Tokens::$assignmentTokens + array(
			T_OPEN_PARENTHESIS    => T_OPEN_PARENTHESIS,
			T_OPEN_SHORT_ARRAY    => T_OPEN_SHORT_ARRAY,
			T_OPEN_SQUARE_BRACKET => T_OPEN_SQUARE_BRACKET,
			T_SEMICOLON           => T_SEMICOLON,
			T_OPEN_CURLY_BRACKET  => T_OPEN_CURLY_BRACKET,
			T_CLOSE_CURLY_BRACKET => T_CLOSE_CURLY_BRACKET,
			T_COMMA               => T_COMMA,
			T_RETURN              => T_RETURN,
			T_ECHO                => T_ECHO,
			T_INLINE_THEN         => T_INLINE_THEN,
			T_INLINE_ELSE         => T_INLINE_ELSE,
			T_COALESCE            => T_COALESCE,
			T_DOUBLE_ARROW        => T_DOUBLE_ARROW,
			T_FN_ARROW            => T_FN_ARROW,
			T_OPEN_TAG            => T_OPEN_TAG,
			T_BOOLEAN_NOT         => T_BOOLEAN_NOT,
		);
		$needs_yoda = false;
		for ( $i = $ptr - 1; $i >= 0; $i-- ) {
			$code = $tokens[ $i ]['code'];
			if ( isset( Tokens::$emptyTokens[ $code ] ) ) {
				continue;
			}
			if ( isset( $stops[ $code ] ) ) {
				break;
			}
			if ( T_VARIABLE === $code || T_CLOSE_SQUARE_BRACKET === $code ) {
				$needs_yoda = true;
				break;
			}
			if ( T_CLOSE_PARENTHESIS === $code ) {
				// A call or a parenthesised expression: a value, not something that could be assigned.
				return;
			}
		}
		if ( ! $needs_yoda ) {
			return;
		}

		// Right operand: another variable makes it a comparison of two variables, which is fine.
		$next = $phpcs_file->findNext( Tokens::$emptyTokens + Tokens::$castTokens, $ptr + 1, null, true );
		if ( false === $next ) {
			return;
		}
		if ( in_array( $tokens[ $next ]['code'], array( T_SELF, T_PARENT, T_STATIC ), true ) ) {
			$next = $phpcs_file->findNext( Tokens::$emptyTokens + array( T_DOUBLE_COLON => T_DOUBLE_COLON ), $next + 1, null, true );
		}
		if ( false === $next || T_VARIABLE === $tokens[ $next ]['code'] ) {
			return;
		}
		$phpcs_file->addError( 'Use Yoda Condition checks, you must.', $ptr, 'NotYoda' );
	}
}
