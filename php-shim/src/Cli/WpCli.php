<?php
/**
 * `wp workos …` for sites with WP-CLI.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

defined( 'ABSPATH' ) || exit;

/**
 * Hands WP-CLI's arguments to Commands and its results to WP-CLI's output.
 */
final class WpCli {

	/** Commands that change many things, or undo one: WP-CLI asks first. */
	private const CONFIRM = array(
		'user unlink'       => 'Unlink this user from WorkOS?',
		'user import'       => 'Import this WorkOS user into WordPress?',
		'org remove-member' => 'Remove this user from the organization?',
		'sync push'         => 'Push unlinked users to WorkOS?',
		'sync pull'         => 'Re-sync linked users from WorkOS?',
		'sync import'       => Import::CONFIRM['sync import'],
		'sync orgs'         => Import::CONFIRM['sync orgs'],
	);

	/**
	 * Registers the `workos` command.
	 */
	public static function register(): void {
		Commands::$prefix = 'wp workos';
		\WP_CLI::add_command(
			'workos',
			array( self::class, 'invoke' ),
			array(
				'shortdesc' => 'WorkOS for WordPress: status, users, organizations, maintenance.',
				// `wp help workos` and `wp workos --help` show this; `wp workos help <command>` one command.
				'longdesc'  => Help::overview( 'wp workos' ),
			)
		);
	}

	/**
	 * Runs one command.
	 *
	 * @param array $args  Positional words.
	 * @param array $assoc Options.
	 */
	public static function invoke( $args, $assoc ): void {
		$bar = null;
		if ( 'sync' === ( $args[0] ?? '' ) && function_exists( '\\WP_CLI\\Utils\\make_progress_bar' ) ) {
			$ticked         = 0;
			Sync::$progress = static function ( int $done, int $total ) use ( &$bar, &$ticked ) {
				$bar = $bar ? $bar : \WP_CLI\Utils\make_progress_bar( 'Syncing', $total );
				$bar->tick( $done - $ticked );
				$ticked = $done;
			};
		}
		Commands::$prefix = 'wp workos';
		$name             = implode( ' ', array_slice( (array) $args, 0, 2 ) );
		if ( isset( self::CONFIRM[ $name ] ) && empty( $assoc['yes'] ) && empty( $assoc['dry-run'] ) && empty( $assoc['help'] ) ) {
			// As the reference plugin's commands: WP-CLI asks (and exits on "no"); --yes skips it.
			\WP_CLI::confirm( self::CONFIRM[ $name ], $assoc );
			$assoc['yes'] = true;
		}
		try {
			$result = Commands::run( array_values( (array) $args ), (array) $assoc );
		} catch ( CommandError $e ) {
			if ( '' !== $e->help ) {
				\WP_CLI::line( rtrim( $e->help, "\n" ) );
			}
			// WP_CLI::error() adds the "Error:" prefix (and exits with status 1).
			\WP_CLI::error( $e->getMessage() );
			return;
		}
		if ( '' !== $result->text ) {
			\WP_CLI::line( rtrim( $result->text, "\n" ) );
			return;
		}
		if ( $bar ) {
			$bar->finish();
		}
		if ( $result->fields ) {
			$format = (string) ( $assoc['format'] ?? 'table' );
			\WP_CLI\Utils\format_items( $format, $result->rows, $result->fields );
		}
		if ( '' !== $result->message ) {
			\WP_CLI::success( $result->message );
		}
	}
}
