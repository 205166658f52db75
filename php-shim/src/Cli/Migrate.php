<?php
/**
 * `workos migrate`: moving a site from the reference plugin ("Integration
 * with WorkOS") to this one, from the command line.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

use WorkOS_WP\Migration\Importer;

defined( 'ABSPATH' ) || exit;

/**
 * A dry run unless --yes: the report of what would move (secrets masked),
 * then, with --yes, the same report of what moved. Running it again moves
 * nothing.
 */
final class Migrate {

	/** Its help (Help::COMMANDS reads it). */
	public const HELP = array(
		'summary'   => 'Moves the settings, user links, Login Profiles and tables of the "Integration with WorkOS" plugin into this one (a dry run unless --yes).',
		'usage'     => '[--yes] [--dry-run] [--format=table|json|csv]',
		'arguments' => array(),
		'options'   => array(
			'--yes'             => 'move them (without it: only report what would move)',
			'--dry-run'         => 'only report what would move (the default)',
			'--format=<format>' => 'table (default), json or csv',
		),
		'examples'  => array( 'migrate', 'migrate --yes', 'migrate --format=json' ),
	);

	/** The report's columns. */
	public const FIELDS = array( 'area', 'item', 'from', 'to', 'action', 'note' );

	/**
	 * Runs the command.
	 *
	 * @param array  $args   Words (none).
	 * @param array  $assoc  Options.
	 * @param string $prefix How the commands are typed (`workos`, `wp workos`), for the hint.
	 * @throws CommandError On extra words or contradicting options.
	 */
	public static function run( array $args, array $assoc, string $prefix = 'workos' ): Result {
		if ( $args ) {
			throw new CommandError( sprintf( 'migrate takes no arguments (got "%s").', implode( ' ', $args ) ) );
		}
		if ( ! empty( $assoc['yes'] ) && ! empty( $assoc['dry-run'] ) ) {
			throw new CommandError( '--yes and --dry-run exclude each other.' );
		}
		if ( ! Importer::detected() ) {
			return new Result( array(), self::FIELDS, 'Nothing of the "Integration with WorkOS" plugin was found: nothing to migrate.' );
		}
		if ( empty( $assoc['yes'] ) ) {
			$rows = Importer::plan();
			$n    = Importer::count( $rows, 'would move' );
			return new Result( $rows, self::FIELDS, $n > 0 ? sprintf( 'Dry run: %d item(s) would move. Run `%s migrate --yes` to move them.', $n, $prefix ) : 'Dry run: nothing left to move; everything is already here.' );
		}
		$rows   = Importer::apply();
		$failed = Importer::count( $rows, 'failed' );
		if ( $failed > 0 ) {
			throw new CommandError( sprintf( '%d item(s) failed to move (see the notes above); nothing of the other plugin was changed. Run it again once fixed.', $failed ), Output::render( new Result( $rows, self::FIELDS ), (string) ( $assoc['format'] ?? 'table' ) ) );
		}
		return new Result( $rows, self::FIELDS, sprintf( 'Migrated: %d item(s) moved, %d already here. Nothing of the other plugin was deleted.', Importer::count( $rows, 'moved' ), Importer::count( $rows, 'already there' ) ) );
	}
}
