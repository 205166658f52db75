<?php
/**
 * Tools → WorkOS activity: the activity log as a WordPress list table
 * (ActivityTable), filtered, searched, paged and exported as CSV
 * (ActivityExport).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Schema;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The activity-log screen and the queries behind it (the CSV export runs
 * the same ones).
 */
final class ActivityPage {

	public const SLUG     = 'workos-activity';
	public const PER_PAGE = 50;

	/** The admin-post action of the CSV export (and its nonce action). */
	public const EXPORT_ACTION = 'workos_activity_csv';

	/**
	 * The list table of this request, made on the screen's load hook.
	 *
	 * @var ActivityTable|null
	 */
	private static $table = null;

	/**
	 * Adds the menu entry.
	 */
	public static function add_menu(): void {
		$hook = add_management_page( __( 'WorkOS activity', 'workos' ), __( 'WorkOS activity', 'workos' ), 'manage_options', self::SLUG, array( self::class, 'render' ) );
		if ( $hook ) {
			add_action( 'load-' . $hook, array( self::class, 'load' ) );
		}
	}

	/**
	 * network_admin_menu: Network Admin → Settings → WorkOS activity, every
	 * site's rows.
	 */
	public static function add_network_menu(): void {
		$hook = add_submenu_page( 'settings.php', __( 'WorkOS activity', 'workos' ), __( 'WorkOS activity', 'workos' ), 'manage_network', self::SLUG, array( self::class, 'render' ) );
		if ( $hook ) {
			add_action( 'load-' . $hook, array( self::class, 'load' ) );
		}
	}

	/**
	 * load-{screen}: only this screen loads WordPress's list-table class,
	 * runs the queries and adds its stylesheet.
	 */
	public static function load(): void {
		$network = is_multisite() && is_network_admin();
		if ( ! current_user_can( $network ? 'manage_network' : 'manage_options' ) ) {
			return;
		}
		require_once ABSPATH . 'wp-admin/includes/class-wp-list-table.php';
		Schema::ensure();
		$f           = self::filters( $network );
		self::$table = new ActivityTable( $f, $network );
		$rows        = self::rows( $f, self::PER_PAGE, ( $f['paged'] - 1 ) * self::PER_PAGE );
		self::$table->set_rows( $rows, self::total( $f ), self::PER_PAGE, self::types( $f['site'] ) );
		wp_enqueue_style( 'workos-activity', plugins_url( 'admin/activity.css', \WorkOS_WP\PLUGIN_FILE ), array(), \WorkOS_WP\VERSION );
	}

	/**
	 * Which site's rows may be read: in a network, a site's screen shows
	 * only that site's (the log holds every site's IPs and users), and the
	 * network admin's screen every site's, or the one picked; on a single
	 * site, every row. 0 means every site.
	 *
	 * @param int  $picked  The site picked in the network admin's filter.
	 * @param bool $network Whether this is the network admin's view.
	 */
	private static function site_scope( int $picked, bool $network ): int {
		if ( ! is_multisite() ) {
			return 0;
		}
		return $network ? max( 0, $picked ) : get_current_blog_id();
	}

	/**
	 * The filters of this view, from the query string.
	 *
	 * @param bool|null $network Whether this is the network admin's view
	 *                           (null: the screen being shown).
	 */
	public static function filters( ?bool $network = null ): array {
		$network = null === $network ? ( is_multisite() && is_network_admin() ) : $network;
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a read-only view.
		$get = wp_unslash( $_GET );
		// phpcs:enable
		$date = static function ( $v ) {
			return is_string( $v ) && preg_match( '/^\d{4}-\d{2}-\d{2}$/', $v ) ? $v : '';
		};
		$text = static function ( $v ) {
			return is_string( $v ) ? trim( sanitize_text_field( $v ) ) : '';
		};
		return array(
			'type'  => isset( $get['type'] ) && is_string( $get['type'] ) ? sanitize_key( $get['type'] ) : '',
			'user'  => $text( $get['user'] ?? '' ),
			's'     => $text( $get['s'] ?? '' ),
			'from'  => $date( $get['from'] ?? '' ),
			'to'    => $date( $get['to'] ?? '' ),
			'paged' => max( 1, (int) ( $get['paged'] ?? 1 ) ),
			'site'  => self::site_scope( isset( $get['site'] ) && is_string( $get['site'] ) ? (int) $get['site'] : 0, $network ),
		);
	}

	/**
	 * The WHERE clause of the filters and its arguments.
	 *
	 * @param array $f Filters.
	 * @return array{0: string, 1: array}
	 */
	private static function where( array $f ): array {
		global $wpdb;
		$where = array( '1=1' );
		$args  = array();
		if ( ! empty( $f['site'] ) ) {
			$where[] = 'blog_id = %d';
			$args[]  = (int) $f['site'];
		}
		if ( '' !== $f['type'] ) {
			$where[] = 'type = %s';
			$args[]  = $f['type'];
		}
		if ( '' !== $f['user'] ) {
			$user    = ctype_digit( $f['user'] ) ? get_user_by( 'id', (int) $f['user'] ) : ( get_user_by( 'login', $f['user'] ) ? get_user_by( 'login', $f['user'] ) : get_user_by( 'email', $f['user'] ) );
			$where[] = 'user_id = %d';
			$args[]  = $user ? $user->ID : -1;
		}
		if ( '' !== $f['s'] ) {
			// Words anywhere in the entry (a login typed, an event, an error),
			// an exact IP or WorkOS id, or the accounts whose name, login or
			// email match.
			$like  = '%' . $wpdb->esc_like( $f['s'] ) . '%';
			$match = array( 'type LIKE %s', 'metadata LIKE %s', 'ip = %s', 'workos_id = %s' );
			array_push( $args, $like, $like, $f['s'], $f['s'] );
			$ids = get_users(
				array(
					'blog_id'        => 0,
					'search'         => '*' . $f['s'] . '*',
					'search_columns' => array( 'user_login', 'user_email', 'display_name' ),
					'fields'         => 'ID',
					'number'         => 200,
				)
			);
			if ( $ids ) {
				$match[] = 'user_id IN (' . implode( ',', array_map( 'intval', $ids ) ) . ')';
			}
			$where[] = '(' . implode( ' OR ', $match ) . ')';
		}
		// The dates are the site's, as the screen shows them.
		if ( '' !== $f['from'] ) {
			$where[] = 'created_at >= %s';
			$args[]  = get_gmt_from_date( $f['from'] . ' 00:00:00' );
		}
		if ( '' !== $f['to'] ) {
			$where[] = 'created_at <= %s';
			$args[]  = get_gmt_from_date( $f['to'] . ' 23:59:59' );
		}
		return array( implode( ' AND ', $where ), $args );
	}

	/**
	 * How many entries match.
	 *
	 * @param array $f Filters.
	 */
	public static function total( array $f ): int {
		global $wpdb;
		list( $sql, $args ) = self::where( $f );
		$query              = 'SELECT COUNT(*) FROM ' . Schema::table( 'activity_log' ) . ' WHERE ' . $sql;
		return (int) $wpdb->get_var( $args ? $wpdb->prepare( $query, $args ) : $query ); // phpcs:ignore WordPress.DB
	}

	/**
	 * The matching entries, newest first.
	 *
	 * @param array $f         Filters.
	 * @param int   $limit     How many.
	 * @param int   $offset    Skipped first (a page), or…
	 * @param int   $before_id …only entries older than this id (0: none),
	 *                         for reading them all in batches.
	 */
	public static function rows( array $f, int $limit, int $offset = 0, int $before_id = 0 ): array {
		global $wpdb;
		list( $sql, $args ) = self::where( $f );
		if ( $before_id > 0 ) {
			$sql   .= ' AND id < %d';
			$args[] = $before_id;
		}
		$args[] = $limit;
		$args[] = $offset;
		return (array) $wpdb->get_results( $wpdb->prepare( 'SELECT * FROM ' . Schema::table( 'activity_log' ) . " WHERE {$sql} ORDER BY id DESC LIMIT %d OFFSET %d", $args ), ARRAY_A ); // phpcs:ignore WordPress.DB
	}

	/**
	 * The event types in the log (of one site, or all).
	 *
	 * @param int $site Site id, 0 for all.
	 * @return string[]
	 */
	private static function types( int $site ): array {
		global $wpdb;
		$table = Schema::table( 'activity_log' );
		return $site
			? $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT type FROM {$table} WHERE blog_id = %d", $site ) ) // phpcs:ignore WordPress.DB
			: $wpdb->get_col( "SELECT DISTINCT type FROM {$table}" ); // phpcs:ignore WordPress.DB
	}

	/**
	 * The CSV export of the entries the filters select.
	 *
	 * @param array $f       Filters.
	 * @param bool  $network Whether from the network admin's view.
	 */
	public static function export_url( array $f, bool $network ): string {
		$args = array_filter(
			array(
				'action'   => self::EXPORT_ACTION,
				'type'     => $f['type'],
				'user'     => $f['user'],
				's'        => $f['s'],
				'from'     => $f['from'],
				'to'       => $f['to'],
				'site'     => $network && $f['site'] ? (string) $f['site'] : '',
				'network'  => $network ? '1' : '',
				'_wpnonce' => wp_create_nonce( self::EXPORT_ACTION ),
			),
			'strlen'
		);
		return add_query_arg( array_map( 'rawurlencode', $args ), admin_url( 'admin-post.php' ) );
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		$network = is_multisite() && is_network_admin();
		if ( ! current_user_can( $network ? 'manage_network' : 'manage_options' ) || null === self::$table ) {
			return;
		}
		$f    = self::filters( $network );
		$days = (int) Settings::get( 'log_retention_days' );
		echo '<div class="wrap workos-activity-wrap">';
		echo '<h1 class="wp-heading-inline">' . esc_html__( 'WorkOS activity', 'workos' ) . '</h1> ';
		printf( '<a href="%s" class="page-title-action">%s</a>', esc_url( self::export_url( $f, $network ) ), esc_html__( 'Export CSV', 'workos' ) );
		echo '<hr class="wp-header-end" />';
		echo '<p class="workos-activity-intro">';
		esc_html_e( 'Sign-ins, refusals, user changes from WorkOS and webhook deliveries, newest first. Times are in the site’s timezone.', 'workos' );
		echo ' ';
		echo esc_html(
			$days > 0
				/* translators: %d: number of days. */
				? sprintf( _n( 'Entries are kept for %d day.', 'Entries are kept for %d days.', $days, 'workos' ), $days )
				: __( 'Entries are kept until they are deleted.', 'workos' )
		);
		echo '</p>';
		echo '<form method="get" class="workos-activity-form">';
		printf( '<input type="hidden" name="page" value="%s" />', esc_attr( self::SLUG ) );
		if ( '' !== $f['user'] ) {
			printf( '<input type="hidden" name="user" value="%s" />', esc_attr( $f['user'] ) );
		}
		self::$table->search_box( __( 'Search activity', 'workos' ), 'workos-activity' );
		self::$table->display();
		echo '</form></div>';
	}
}
