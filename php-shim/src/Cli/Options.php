<?php
/**
 * Options shared by the `workos` commands, parsed and validated in one place.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

defined( 'ABSPATH' ) || exit;

/**
 * Kept apart from Commands so that Sync (which Commands dispatches to) can read
 * the same options without reaching back into Commands.
 */
final class Options {

	/**
	 * --limit, validated.
	 *
	 * @param array $assoc   Options.
	 * @param int   $default Default.
	 * @throws CommandError When --limit is not a positive number.
	 */
	public static function limit( array $assoc, int $default ): int {
		if ( ! isset( $assoc['limit'] ) ) {
			return $default;
		}
		$limit = (string) $assoc['limit'];
		if ( ! ctype_digit( $limit ) || (int) $limit < 1 ) {
			throw new CommandError( '--limit must be a positive number.' );
		}
		return (int) $limit;
	}
}
