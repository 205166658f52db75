<?php
/**
 * The activity log as a CSV download (admin-post.php?action=workos_activity_csv),
 * of the entries the screen's filters select.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Streams the CSV, in batches, without holding the log in memory.
 */
final class ActivityExport {

	/** Rows read per query. */
	private const BATCH = 500;

	/**
	 * admin_post_workos_activity_csv: the download, for an administrator
	 * with this screen's nonce (the network's every-site view for a network
	 * administrator only).
	 */
	public static function download(): void {
		$network = is_multisite() && ! empty( $_GET['network'] ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- checked next.
		$nonce   = isset( $_GET['_wpnonce'] ) && is_string( $_GET['_wpnonce'] ) ? sanitize_text_field( wp_unslash( $_GET['_wpnonce'] ) ) : '';
		if ( ! wp_verify_nonce( $nonce, ActivityPage::EXPORT_ACTION ) ) {
			wp_die( esc_html__( 'This export link has expired. Go back to the activity screen and export again.', 'workos' ), esc_html__( 'WorkOS activity', 'workos' ), array( 'response' => 403 ) );
		}
		if ( ! current_user_can( $network ? 'manage_network' : 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to export the activity log.', 'workos' ), esc_html__( 'WorkOS activity', 'workos' ), array( 'response' => 403 ) );
		}
		$f = ActivityPage::filters( $network );

		nocache_headers();
		header( 'Content-Type: text/csv; charset=utf-8' );
		header( 'Content-Disposition: attachment; filename="workos-activity-' . wp_date( 'Y-m-d-His' ) . '.csv"' );
		header( 'X-Content-Type-Options: nosniff' );
		$out = fopen( 'php://output', 'w' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen -- streamed to the browser.
		fwrite( $out, "\xEF\xBB\xBF" ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fwrite -- a BOM, so spreadsheets read UTF-8.
		self::put( $out, self::header_row( $network ) );
		$before = 0;
		do {
			$rows = ActivityPage::rows( $f, self::BATCH, 0, $before );
			ActivityEvents::prime( $rows );
			foreach ( $rows as $row ) {
				self::put( $out, self::row( $row, $network ) );
				$before = (int) $row['id'];
			}
			// Users seen in this batch need not stay in memory.
			wp_cache_flush_runtime();
		} while ( count( $rows ) === self::BATCH );
		fclose( $out ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		exit;
	}

	/**
	 * The column names.
	 *
	 * @param bool $network Whether every site's entries are exported.
	 */
	private static function header_row( bool $network ): array {
		$header = array(
			__( 'Time', 'workos' ),
			__( 'Time (UTC)', 'workos' ),
			__( 'Event type', 'workos' ),
			__( 'Event', 'workos' ),
			__( 'User', 'workos' ),
			__( 'User ID', 'workos' ),
			__( 'Email', 'workos' ),
			__( 'WorkOS ID', 'workos' ),
			__( 'IP address', 'workos' ),
			__( 'Browser', 'workos' ),
			__( 'Details', 'workos' ),
		);
		if ( $network ) {
			$header[] = __( 'Site ID', 'workos' );
		}
		return $header;
	}

	/**
	 * One entry's cells.
	 *
	 * @param array $row     Log row.
	 * @param bool  $network Whether every site's entries are exported.
	 */
	private static function row( array $row, bool $network ): array {
		$time  = strtotime( $row['created_at'] . ' UTC' );
		$user  = (int) $row['user_id'] > 0 ? get_userdata( (int) $row['user_id'] ) : false;
		$cells = array(
			wp_date( 'Y-m-d H:i:s', (int) $time ),
			(string) $row['created_at'],
			(string) $row['type'],
			ActivityEvents::text( $row ),
			ActivityEvents::subject_name( $row ),
			(int) $row['user_id'] > 0 ? (string) $row['user_id'] : '',
			$user ? $user->user_email : '',
			(string) $row['workos_id'],
			(string) $row['ip'],
			(string) $row['user_agent'],
			'[]' === $row['metadata'] ? '' : (string) $row['metadata'],
		);
		if ( $network ) {
			$cells[] = (string) $row['blog_id'];
		}
		return $cells;
	}

	/**
	 * Writes a CSV line. A cell a spreadsheet would run as a formula (= + -
	 * @, tab, carriage return first: a display name, a browser string or a
	 * login typed by anyone) is made text with a leading apostrophe.
	 *
	 * @param resource $out   The output.
	 * @param array    $cells Cells.
	 */
	private static function put( $out, array $cells ): void {
		foreach ( $cells as $i => $cell ) {
			$cell        = (string) $cell;
			$cells[ $i ] = '' !== $cell && false !== strpos( "=+-@\t\r", $cell[0] ) ? "'" . $cell : $cell;
		}
		fputcsv( $out, $cells, ',', '"', '' );
	}
}
