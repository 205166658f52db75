<?php
/**
 * The four tables this plugin shares by name with the reference plugin
 * ("Integration with WorkOS"): recognised by their columns and converted
 * in place, every row and every old column kept.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Migration;

use WorkOS_WP\Users\UserMeta;

defined( 'ABSPATH' ) || exit;

/**
 * Both plugins create `{prefix}workos_organizations`, `workos_org_memberships`,
 * `workos_org_sites` and `workos_activity_log`, with different columns, and
 * both record `workos_db_version` with their own numbering. So a table is
 * judged by its columns only — one only the reference has (MARKERS) — never
 * by a version number.
 *
 * A converted table keeps the reference's columns and their data: our
 * columns are added beside them and filled from them (an id the reference
 * kept as a local row number is translated through its organizations
 * table; a WorkOS user id is read from the link usermeta), and
 * the reference's columns that were NOT NULL become nullable so that our
 * inserts, which do not know them, succeed. Unique keys of the reference's
 * that our rows would break (the organization slug, the row-number primary
 * key of org_sites) become plain keys. Nothing is dropped. Rows the
 * reference writes later (when it is activated again) are filled by the
 * next run: every step looks only at rows whose own column is still empty,
 * so running it again changes nothing. Schema::install() runs it, under its
 * lock, before dbDelta.
 */
final class Tables {

	/** The tables both plugins create, by short name, in conversion order (organizations first: the others read it). */
	public const SHARED = array( 'organizations', 'org_memberships', 'org_sites', 'activity_log' );

	/** A column only the reference's version of each table has. */
	public const MARKERS = array(
		'organizations'   => 'workos_org_id',
		'org_memberships' => 'org_id',
		'org_sites'       => 'site_id',
		'activity_log'    => 'event_type',
	);

	/** Our columns of each shared table (Schema::install() defines them). */
	private const OURS = array(
		'organizations'   => array( 'id', 'workos_id', 'name', 'slug', 'domains', 'external_id', 'updated_at' ),
		'org_memberships' => array( 'id', 'workos_id', 'user_id', 'workos_user_id', 'organization_id', 'role_slug', 'wp_role', 'status', 'updated_at' ),
		'org_sites'       => array( 'organization_id', 'blog_id', 'role' ),
		'activity_log'    => array( 'id', 'type', 'blog_id', 'user_id', 'workos_id', 'ip', 'user_agent', 'metadata', 'created_at' ),
	);

	/**
	 * Our columns added to a reference table before they are filled: the
	 * key columns nullable (a row the reference inserts later leaves them
	 * NULL, which no unique key minds, until the next run fills them).
	 */
	private const ADD = array(
		'organizations'   => array(
			'workos_id' => 'varchar(64) DEFAULT NULL',
		),
		'org_memberships' => array(
			'workos_id'       => 'varchar(64) DEFAULT NULL',
			'workos_user_id'  => "varchar(64) NOT NULL DEFAULT ''",
			'organization_id' => "varchar(64) NOT NULL DEFAULT ''",
			'role_slug'       => "varchar(100) NOT NULL DEFAULT ''",
			'wp_role'         => "varchar(100) NOT NULL DEFAULT ''",
			'status'          => "varchar(20) NOT NULL DEFAULT 'active'",
			'updated_at'      => 'datetime DEFAULT NULL',
		),
		'org_sites'       => array(
			'organization_id' => "varchar(64) NOT NULL DEFAULT ''",
			'blog_id'         => 'bigint(20) unsigned NOT NULL DEFAULT 0',
			'role'            => "varchar(100) NOT NULL DEFAULT ''",
		),
		'activity_log'    => array(
			'type'      => "varchar(64) NOT NULL DEFAULT ''",
			'blog_id'   => 'bigint(20) unsigned NOT NULL DEFAULT 0',
			'workos_id' => "varchar(64) NOT NULL DEFAULT ''",
			'ip'        => "varchar(45) NOT NULL DEFAULT ''",
		),
	);

	/**
	 * The column of ours that is empty on a row not converted yet.
	 */
	private const FILLED_BY = array(
		'organizations'   => 'workos_id',
		'org_memberships' => 'workos_id',
		'org_sites'       => 'organization_id',
		'activity_log'    => 'type',
	);

	/**
	 * What converting each table would do, without changing anything (the
	 * dry run): per short name, `state` — `absent`, `ours` (nothing of the
	 * reference), `reference` (work to do) or `converted` (the reference's
	 * columns kept beside ours, nothing left to do) — `rows`, `pending`
	 * (rows still to fill), `missing` (our columns to add) and `kept` (the
	 * reference's columns, kept).
	 *
	 * @param array<string, string> $tables Short name => full table name.
	 * @return array<string, array>
	 */
	public static function inspect( array $tables ): array {
		$out = array();
		foreach ( self::SHARED as $name ) {
			if ( isset( $tables[ $name ] ) ) {
				$out[ $name ] = self::state( $name, $tables[ $name ] );
			}
		}
		return $out;
	}

	/**
	 * Converts every shared table that needs it (see the class comment).
	 * Call under Schema::install()'s lock.
	 *
	 * @param array<string, string> $tables Short name => full table name.
	 * @return array<string, array> Per converted table: `rows`, `converted` (rows filled now), `kept`, `errors`.
	 */
	public static function adopt( array $tables ): array {
		global $wpdb;
		$out = array();
		foreach ( self::SHARED as $name ) {
			if ( ! isset( $tables[ $name ] ) ) {
				continue;
			}
			$state = self::state( $name, $tables[ $name ] );
			if ( 'reference' !== $state['state'] ) {
				continue;
			}
			$table  = $tables[ $name ];
			$errors = array();
			$before = $wpdb->last_error;
			self::add_columns( $name, $table, $errors );
			self::relax( $name, $table, $errors );
			$method = 'fill_' . $name;
			$filled = self::$method( $table, $tables, $errors );
			self::fix_keys( $name, $table, $errors );
			$wpdb->last_error = $before;
			$out[ $name ]     = array(
				'rows'      => $state['rows'],
				'converted' => $filled,
				'kept'      => $state['kept'],
				'errors'    => $errors,
			);
		}
		return $out;
	}

	/**
	 * Multisite: the reference plugin made its tables with each site's own
	 * prefix (`wp_2_workos_organizations`…), where ours are the network's
	 * (Schema::table(), the base prefix). A site other than the one whose
	 * prefix is the network's has its own set: short name => full name.
	 * Empty on a single site and on the site whose tables are the network's
	 * (Schema::install() converts those).
	 *
	 * @param int $blog_id Site.
	 * @return array<string, string>
	 */
	public static function site_tables( int $blog_id ): array {
		global $wpdb;
		if ( ! is_multisite() || $wpdb->get_blog_prefix( $blog_id ) === $wpdb->base_prefix ) {
			return array();
		}
		$prefix = $wpdb->get_blog_prefix( $blog_id ) . 'workos_';
		return array_combine( self::SHARED, array_map( static fn( string $n ): string => $prefix . $n, self::SHARED ) );
	}

	/**
	 * What copying a site's reference tables into the network's would do
	 * (the dry run): per short name, its state (inspect()) and `to_copy`,
	 * the rows not yet in the network's table.
	 *
	 * @param int $blog_id Site.
	 * @return array<string, array>
	 */
	public static function inspect_site( int $blog_id ): array {
		$out = array();
		foreach ( self::inspect( self::site_tables( $blog_id ) ) as $name => $state ) {
			if ( ! in_array( $state['state'], array( 'reference', 'converted' ), true ) ) {
				continue;
			}
			// Rows not converted yet count whole; converted ones when the network lacks them.
			$table            = self::site_tables( $blog_id )[ $name ];
			$state['to_copy'] = $state['pending'] + ( isset( self::columns( $table )[ self::FILLED_BY[ $name ] ] ) ? self::copy( $name, $table, $blog_id, false ) : 0 );
			$out[ $name ]     = $state;
		}
		return $out;
	}

	/**
	 * Converts a site's reference tables in place (adopt(): our columns
	 * beside theirs, nothing dropped), then copies their rows into the
	 * network's tables — those not there yet, so a second run copies
	 * nothing. Rows the reference never had at WorkOS (`legacy_…` ids: a
	 * local number, meaningful on that site only) stay in the site's table.
	 * Mappings arrive without a role: they grant nothing until a network
	 * administrator gives one (Network\OrgSitesPage). Activity keeps its
	 * site. Call under Schema::install()'s lock or from the migration.
	 *
	 * @param int $blog_id Site.
	 * @return array<string, array> Per table: `rows`, `converted`, `copied`, `errors`.
	 */
	public static function adopt_site( int $blog_id ): array {
		$tables = self::site_tables( $blog_id );
		if ( ! $tables ) {
			return array();
		}
		$adopted = self::adopt( $tables );
		$out     = array();
		foreach ( self::inspect( $tables ) as $name => $state ) {
			// Converted as far as a site's table goes: ours but for columns only the network's table needs.
			if ( ! in_array( $state['state'], array( 'reference', 'converted' ), true ) || $state['pending'] > 0 ) {
				continue;
			}
			$errors       = $adopted[ $name ]['errors'] ?? array();
			$copied       = self::copy( $name, $tables[ $name ], $blog_id, true, $errors );
			$out[ $name ] = array(
				'rows'      => $state['rows'],
				'converted' => $adopted[ $name ]['converted'] ?? 0,
				'copied'    => $copied,
				'errors'    => $errors,
			);
		}
		return $out;
	}

	/**
	 * Copies (or counts) a converted site table's rows missing from the
	 * network's table of the same name.
	 *
	 * @param string   $name    Short name.
	 * @param string   $table   The site's table.
	 * @param int      $blog_id Site.
	 * @param bool     $apply   Copy (else count).
	 * @param string[] $errors  Collected errors.
	 */
	private static function copy( string $name, string $table, int $blog_id, bool $apply, array &$errors = array() ): int {
		global $wpdb;
		$net = $wpdb->base_prefix . 'workos_' . $name;
		switch ( $name ) {
			case 'organizations':
				$cols  = 'workos_id, name, slug, domains, external_id, updated_at';
				$pick  = "s.workos_id, COALESCE(s.name, ''), COALESCE(s.slug, ''), COALESCE(s.domains, '[]'), NULL, COALESCE(s.updated_at, UTC_TIMESTAMP())";
				$where = "s.workos_id NOT LIKE 'legacy\\_%' AND NOT EXISTS (SELECT 1 FROM `{$net}` n WHERE BINARY n.workos_id = BINARY s.workos_id)";
				break;
			case 'org_memberships':
				$cols  = 'workos_id, user_id, workos_user_id, organization_id, role_slug, wp_role, status, updated_at';
				$pick  = "s.workos_id, s.user_id, s.workos_user_id, s.organization_id, s.role_slug, COALESCE(s.wp_role, ''), s.status, COALESCE(s.updated_at, UTC_TIMESTAMP())";
				$where = "s.workos_id NOT LIKE 'legacy\\_%' AND s.organization_id NOT LIKE 'legacy\\_%' AND s.organization_id <> '' AND NOT EXISTS (SELECT 1 FROM `{$net}` n WHERE BINARY n.workos_id = BINARY s.workos_id)";
				break;
			case 'org_sites':
				// The reference's `site_id` (default 1) names a site of the
				// network; one that names none is this site's own mapping.
				$blog  = $wpdb->prepare( "IF(EXISTS (SELECT 1 FROM `{$wpdb->blogs}` b WHERE b.blog_id = s.blog_id), s.blog_id, %d)", $blog_id ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table names only.
				$cols  = 'organization_id, blog_id, role';
				$pick  = "s.organization_id, {$blog}, ''";
				$where = "s.organization_id NOT LIKE 'legacy\\_%' AND s.organization_id <> '' AND NOT EXISTS (SELECT 1 FROM `{$net}` n WHERE BINARY n.organization_id = BINARY s.organization_id AND n.blog_id = {$blog})";
				break;
			default:
				// Activity: the site's table marks a row copied by giving it
				// this site's id (conversion filled in the main site's).
				$cols  = 'type, blog_id, user_id, workos_id, ip, user_agent, metadata, created_at';
				$pick  = $wpdb->prepare( "s.type, %d, COALESCE(s.user_id, 0), s.workos_id, s.ip, LEFT(COALESCE(s.user_agent, ''), 255), COALESCE(s.metadata, '{}'), COALESCE(s.created_at, UTC_TIMESTAMP())", $blog_id );
				$where = $wpdb->prepare( 's.blog_id <> %d', $blog_id );
		}
		if ( ! $apply ) {
			return (int) $wpdb->get_var( "SELECT COUNT(*) FROM `{$table}` s WHERE {$where}" ); // phpcs:ignore WordPress.DB
		}
		$n = $wpdb->query( "INSERT INTO `{$net}` ({$cols}) SELECT {$pick} FROM `{$table}` s WHERE {$where}" ); // phpcs:ignore WordPress.DB
		if ( false === $n ) {
			$errors[] = $wpdb->last_error;
			return 0;
		}
		if ( 'activity_log' === $name ) {
			$wpdb->query( $wpdb->prepare( "UPDATE `{$table}` SET blog_id = %d", $blog_id ) ); // phpcs:ignore WordPress.DB
		}
		return (int) $n;
	}

	/**
	 * One table's state (see inspect()).
	 *
	 * @param string $name  Short name.
	 * @param string $table Full name.
	 */
	private static function state( string $name, string $table ): array {
		global $wpdb;
		$cols = self::columns( $table );
		if ( ! $cols ) {
			return array(
				'state'   => 'absent',
				'rows'    => 0,
				'pending' => 0,
				'missing' => array(),
				'kept'    => array(),
			);
		}
		$rows    = (int) $wpdb->get_var( "SELECT COUNT(*) FROM `{$table}`" ); // phpcs:ignore WordPress.DB
		$kept    = array_values( array_diff( array_keys( $cols ), self::OURS[ $name ] ) );
		$missing = array_values( array_diff( self::OURS[ $name ], array_keys( $cols ) ) );
		if ( ! isset( $cols[ self::MARKERS[ $name ] ] ) ) {
			return array(
				'state'   => 'ours',
				'rows'    => $rows,
				'pending' => 0,
				'missing' => $missing,
				'kept'    => $kept,
			);
		}
		$key     = self::FILLED_BY[ $name ];
		$pending = isset( $cols[ $key ] ) ? (int) $wpdb->get_var( "SELECT COUNT(*) FROM `{$table}` WHERE `{$key}` IS NULL OR `{$key}` = ''" ) : $rows; // phpcs:ignore WordPress.DB
		$work    = $pending > 0 || $missing || self::strict_columns( $name, $cols ) || self::keys_to_fix( $name, $table );
		return array(
			'state'   => $work ? 'reference' : 'converted',
			'rows'    => $rows,
			'pending' => $pending,
			'missing' => $missing,
			'kept'    => $kept,
		);
	}

	/**
	 * A table's columns (SHOW COLUMNS rows by name); empty when there is no such table.
	 *
	 * @param string $table Full name.
	 * @return array<string, array>
	 */
	private static function columns( string $table ): array {
		global $wpdb;
		if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $table ) ) ) !== $table ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			return array();
		}
		$out = array();
		foreach ( (array) $wpdb->get_results( "SHOW COLUMNS FROM `{$table}`", ARRAY_A ) as $col ) { // phpcs:ignore WordPress.DB
			$out[ $col['Field'] ] = $col;
		}
		return $out;
	}

	/**
	 * The reference's NOT NULL columns (our inserts do not name them):
	 * name => type.
	 *
	 * @param string $name Short name.
	 * @param array  $cols Columns.
	 * @return array<string, string>
	 */
	private static function strict_columns( string $name, array $cols ): array {
		$out = array();
		foreach ( $cols as $field => $col ) {
			if ( in_array( $field, self::OURS[ $name ], true ) || 'NO' !== $col['Null'] || 'PRI' === $col['Key'] || false !== stripos( (string) $col['Extra'], 'auto_increment' ) ) {
				continue;
			}
			$out[ $field ] = (string) $col['Type'];
		}
		return $out;
	}

	/**
	 * Adds our columns a table lacks (those of ADD; dbDelta adds the rest).
	 *
	 * @param string   $name   Short name.
	 * @param string   $table  Full name.
	 * @param string[] $errors Collected errors.
	 */
	private static function add_columns( string $name, string $table, array &$errors ): void {
		$cols  = self::columns( $table );
		$parts = array();
		foreach ( self::ADD[ $name ] as $field => $definition ) {
			if ( ! isset( $cols[ $field ] ) ) {
				$parts[] = "ADD COLUMN `{$field}` {$definition}";
			}
		}
		// A user agent longer than ours keeps its full text beside the
		// column dbDelta is about to narrow to varchar(255).
		if ( 'activity_log' === $name && isset( $cols['user_agent'] ) && false !== stripos( (string) $cols['user_agent']['Type'], 'text' ) && ! isset( $cols['user_agent_full'] ) ) {
			$parts[] = 'ADD COLUMN `user_agent_full` text DEFAULT NULL';
		}
		self::alter( $table, $parts, $errors );
	}

	/**
	 * Makes the reference's NOT NULL columns nullable (see the class comment).
	 *
	 * @param string   $name   Short name.
	 * @param string   $table  Full name.
	 * @param string[] $errors Collected errors.
	 */
	private static function relax( string $name, string $table, array &$errors ): void {
		$parts = array();
		foreach ( self::strict_columns( $name, self::columns( $table ) ) as $field => $type ) {
			$parts[] = "MODIFY `{$field}` {$type} NULL DEFAULT NULL";
		}
		self::alter( $table, $parts, $errors );
	}

	/**
	 * Unique keys of the reference's that our rows would break.
	 *
	 * @param string $name  Short name.
	 * @param string $table Full name.
	 * @return string[] ALTER TABLE clauses.
	 */
	private static function keys_to_fix( string $name, string $table ): array {
		global $wpdb;
		$keys = array();
		foreach ( (array) $wpdb->get_results( "SHOW INDEX FROM `{$table}`", ARRAY_A ) as $row ) { // phpcs:ignore WordPress.DB
			$keys[ $row['Key_name'] ]['unique']    = '0' === (string) $row['Non_unique'];
			$keys[ $row['Key_name'] ]['columns'][] = $row['Column_name'];
		}
		// Our organizations may share a slug (it is derived from the name).
		if ( 'organizations' === $name && ! empty( $keys['slug']['unique'] ) ) {
			return array( 'DROP INDEX `slug`', 'ADD KEY `slug` (`slug`)' );
		}
		// Ours are keyed by organization and site; the reference's row number stays, indexed.
		if ( 'org_sites' === $name && isset( $keys['PRIMARY'] ) && array( 'id' ) === $keys['PRIMARY']['columns'] ) {
			return array( 'DROP PRIMARY KEY', 'ADD PRIMARY KEY (`organization_id`,`blog_id`)', isset( $keys['legacy_id'] ) ? '' : 'ADD KEY `legacy_id` (`id`)' );
		}
		return array();
	}

	/**
	 * Applies keys_to_fix().
	 *
	 * @param string   $name   Short name.
	 * @param string   $table  Full name.
	 * @param string[] $errors Collected errors.
	 */
	private static function fix_keys( string $name, string $table, array &$errors ): void {
		self::alter( $table, array_filter( self::keys_to_fix( $name, $table ) ), $errors );
	}

	/**
	 * One ALTER TABLE of several clauses (none: nothing).
	 *
	 * @param string   $table  Full name.
	 * @param string[] $parts  Clauses.
	 * @param string[] $errors Collected errors.
	 */
	private static function alter( string $table, array $parts, array &$errors ): void {
		global $wpdb;
		if ( ! $parts ) {
			return;
		}
		if ( false === $wpdb->query( "ALTER TABLE `{$table}` " . implode( ', ', $parts ) ) ) { // phpcs:ignore WordPress.DB
			$errors[] = $wpdb->last_error;
		}
	}

	/**
	 * A column of the reference's row as an SQL expression, or `$fallback`
	 * when its version of the table has no such column.
	 *
	 * @param array  $cols     Columns.
	 * @param string $alias    Table alias.
	 * @param string $field    Column.
	 * @param string $fallback SQL literal.
	 */
	private static function col( array $cols, string $alias, string $field, string $fallback ): string {
		return isset( $cols[ $field ] ) ? "{$alias}.`{$field}`" : $fallback;
	}

	/**
	 * Runs an UPDATE; its count of changed rows (0 on failure, recorded).
	 *
	 * @param string   $sql    The statement.
	 * @param string[] $errors Collected errors.
	 */
	private static function update( string $sql, array &$errors ): int {
		global $wpdb;
		$n = $wpdb->query( $sql ); // phpcs:ignore WordPress.DB
		if ( false === $n ) {
			$errors[] = $wpdb->last_error;
			return 0;
		}
		return (int) $n;
	}

	/**
	 * Organizations: our WorkOS id from the reference's `workos_org_id`
	 * (a row without one gets `legacy_org_{id}`, unique and never a WorkOS id).
	 *
	 * @param string   $table  Full name.
	 * @param array    $tables All shared tables.
	 * @param string[] $errors Collected errors.
	 */
	private static function fill_organizations( string $table, array $tables, array &$errors ): int {
		$cols = self::columns( $table );
		$org  = self::col( $cols, 'o', 'workos_org_id', "''" );
		$n    = self::update( "UPDATE `{$table}` o SET o.workos_id = IF( COALESCE({$org}, '') = '', CONCAT('legacy_org_', o.id), LEFT({$org}, 64) ) WHERE o.workos_id IS NULL OR o.workos_id = ''", $errors );
		if ( isset( $cols['domains'] ) ) {
			self::update( "UPDATE `{$table}` SET domains = '[]' WHERE domains IS NULL", $errors );
		}
		return $n;
	}

	/**
	 * Memberships: the organization's WorkOS id through the reference's
	 * local organization number, the WorkOS user id from the user's link,
	 * the role, and our key — the WorkOS membership id. A row without one
	 * (added locally, never seen at WorkOS) is kept as `legacy_om_{id}`
	 * with status `legacy`: only an `active` membership counts for access.
	 *
	 * @param string   $table  Full name.
	 * @param array    $tables All shared tables.
	 * @param string[] $errors Collected errors.
	 */
	private static function fill_org_memberships( string $table, array $tables, array &$errors ): int {
		global $wpdb;
		$cols   = self::columns( $table );
		$orgs   = $tables['organizations'] ?? '';
		$ocols  = '' === $orgs ? array() : self::columns( $orgs );
		$join   = isset( $ocols['workos_id'], $cols['org_id'] ) ? "LEFT JOIN `{$orgs}` o ON o.id = m.org_id" : '';
		$org    = '' === $join ? "''" : "COALESCE(o.workos_id, '')";
		$om     = self::col( $cols, 'm', 'workos_membership_id', "''" );
		$role   = self::col( $cols, 'm', 'workos_role', "''" );
		$joined = self::col( $cols, 'm', 'joined_at', 'NULL' );
		$sql    = "UPDATE `{$table}` m {$join}
			LEFT JOIN `{$wpdb->usermeta}` um ON um.user_id = m.user_id AND um.meta_key = %s
			SET m.organization_id = IF(m.organization_id = '', {$org}, m.organization_id),
				m.workos_user_id = IF(m.workos_user_id = '', LEFT(COALESCE(um.meta_value, ''), 64), m.workos_user_id),
				m.role_slug = IF(m.role_slug = '', LEFT(COALESCE({$role}, ''), 100), m.role_slug),
				m.wp_role = COALESCE(m.wp_role, ''),
				m.updated_at = COALESCE(m.updated_at, {$joined}, UTC_TIMESTAMP()),
				m.status = IF(COALESCE({$om}, '') = '', 'legacy', 'active'),
				m.workos_id = IF(COALESCE({$om}, '') = '', CONCAT('legacy_om_', m.id), LEFT({$om}, 64))
			WHERE m.workos_id IS NULL OR m.workos_id = ''";
		return self::update( $wpdb->prepare( $sql, UserMeta::USER_ID ), $errors ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table and column names only, from SHOW COLUMNS.
	}

	/**
	 * Organization → site mappings: the organization's WorkOS id through the
	 * reference's local number, the site from `site_id`.
	 *
	 * @param string   $table  Full name.
	 * @param array    $tables All shared tables.
	 * @param string[] $errors Collected errors.
	 */
	private static function fill_org_sites( string $table, array $tables, array &$errors ): int {
		$cols  = self::columns( $table );
		$orgs  = $tables['organizations'] ?? '';
		$ocols = '' === $orgs ? array() : self::columns( $orgs );
		$join  = isset( $ocols['workos_id'], $cols['org_id'] ) ? "LEFT JOIN `{$orgs}` o ON o.id = s.org_id" : '';
		$num   = self::col( $cols, 's', 'org_id', '0' );
		$org   = '' === $join ? "CONCAT('legacy_org_', {$num})" : "COALESCE(o.workos_id, CONCAT('legacy_org_', {$num}))";
		$site  = self::col( $cols, 's', 'site_id', '1' );
		return self::update( "UPDATE `{$table}` s {$join} SET s.blog_id = IF(s.blog_id = 0, COALESCE({$site}, 1), s.blog_id), s.organization_id = {$org} WHERE s.organization_id = ''", $errors );
	}

	/**
	 * Activity: type, WorkOS user id, IP from the reference's columns; the
	 * site is the network's main one (the table with the network's prefix
	 * was the main site's); a long user agent's full text is kept.
	 *
	 * @param string   $table  Full name.
	 * @param array    $tables All shared tables.
	 * @param string[] $errors Collected errors.
	 */
	private static function fill_activity_log( string $table, array $tables, array &$errors ): int {
		global $wpdb;
		$cols = self::columns( $table );
		if ( isset( $cols['user_agent_full'] ) ) {
			self::update( "UPDATE `{$table}` SET user_agent_full = user_agent WHERE user_agent_full IS NULL AND CHAR_LENGTH(user_agent) > 255", $errors );
		}
		$type = self::col( $cols, 'a', 'event_type', "'event'" );
		$wid  = self::col( $cols, 'a', 'workos_user_id', "''" );
		$ip   = self::col( $cols, 'a', 'ip_address', "''" );
		$blog = function_exists( 'get_main_site_id' ) ? (int) get_main_site_id() : 1;
		$sql  = "UPDATE `{$table}` a SET
				a.workos_id = IF(a.workos_id = '', LEFT(COALESCE({$wid}, ''), 64), a.workos_id),
				a.ip = IF(a.ip = '', LEFT(COALESCE({$ip}, ''), 45), a.ip),
				a.blog_id = IF(a.blog_id = 0, %d, a.blog_id),
				a.metadata = COALESCE(a.metadata, '{}'),
				a.type = LEFT(IF(COALESCE({$type}, '') = '', 'event', {$type}), 64)
			WHERE a.type IS NULL OR a.type = ''";
		return self::update( $wpdb->prepare( $sql, max( 1, $blog ) ), $errors );
	}
}
