<?php
/**
 * Stand-in for the parenthesis rule of WPCS's WordPress.WhiteSpace.ControlStructureSpacing (see
 * phpcs.xml.dist for why).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Lint\WordPress\Sniffs\WhiteSpace;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;

/**
 * `if ( $a )`: one space inside the parentheses of a control structure, or a line break (a
 * condition over several lines), as WPCS allows and PSR2's sniff of the same name does not.
 */
final class ControlStructureSpacingSniff implements Sniff {

	/**
	 * Tokens listened to.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_IF, T_ELSEIF, T_FOR, T_FOREACH, T_WHILE, T_SWITCH, T_CATCH );
	}

	/**
	 * Checks the space after `(` and before `)`.
	 *
	 * @param File $phpcs_file File.
	 * @param int  $ptr        Position of the keyword.
	 */
	public function process( File $phpcs_file, $ptr ) {
		$tokens = $phpcs_file->getTokens();
		if ( ! isset( $tokens[ $ptr ]['parenthesis_opener'], $tokens[ $ptr ]['parenthesis_closer'] ) ) {
			return;
		}
		$open  = $tokens[ $ptr ]['parenthesis_opener'];
		$close = $tokens[ $ptr ]['parenthesis_closer'];
		if ( $open + 1 === $close ) {
			return;
		}

		$after = $tokens[ $open + 1 ];
		if ( T_WHITESPACE !== $after['code'] ) {
			if ( $phpcs_file->addFixableError( 'No space after opening parenthesis is prohibited', $open, 'NoSpaceAfterOpenParenthesis' ) ) {
				$phpcs_file->fixer->addContent( $open, ' ' );
			}
		} elseif ( ' ' !== $after['content'] && false === strpos( $after['content'], "\n" ) ) {
			if ( $phpcs_file->addFixableError( 'Extra space after opening parenthesis', $open, 'ExtraSpaceAfterOpenParenthesis' ) ) {
				$phpcs_file->fixer->replaceToken( $open + 1, ' ' );
			}
		}

		$before = $tokens[ $close - 1 ];
		if ( T_WHITESPACE !== $before['code'] ) {
			if ( $phpcs_file->addFixableError( 'No space before closing parenthesis is prohibited', $close, 'NoSpaceBeforeCloseParenthesis' ) ) {
				$phpcs_file->fixer->addContentBefore( $close, ' ' );
			}
		} elseif ( ' ' !== $before['content'] && $tokens[ $close - 2 ]['line'] === $tokens[ $close ]['line'] ) {
			if ( $phpcs_file->addFixableError( 'Extra space before closing parenthesis', $close, 'ExtraSpaceBeforeCloseParenthesis' ) ) {
				$phpcs_file->fixer->replaceToken( $close - 1, ' ' );
			}
		}
	}
}
